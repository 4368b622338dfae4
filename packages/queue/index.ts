export { OrderPublisher } from "./publisher";
export { SettleConsumer, type SettleHandlers } from "./consumer";
export { BrokerConnection, type Logger } from "./connection";
export { declareTopology, deleteTopology, names as queueNames, type QueueOptions } from "./topology";
