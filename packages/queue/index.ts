export { OrderPublisher } from "./publisher.ts";
export { SettleConsumer, type SettleHandlers } from "./consumer.ts";
export { BrokerConnection, type Logger } from "./connection.ts";
export { declareTopology, deleteTopology, names as queueNames, type QueueOptions } from "./topology.ts";
