// cluster-key-slot (ioredis's dependency, used by test/support/redis-cluster.ts) ships no types.
declare module "cluster-key-slot" {
  /** The Redis Cluster hash slot (0..16383) of a key: of its {hash tag} alone when it has one. */
  export default function calculateSlot(key: string | Buffer): number;
  /** The slot all the keys share, or -1 when they do not share one. */
  export function generateMulti(keys: (string | Buffer)[]): number;
}
