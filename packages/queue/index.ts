export { OrderPublisher } from "./publisher.ts";
export { SettleConsumer, type SettleHandlers } from "./consumer.ts";
export { BrokerConnection, connectFirst, type Logger } from "./connection.ts";
export { declareTopology, deleteTopology, names as queueNames, type QueueOptions, type QueueType } from "./topology.ts";
