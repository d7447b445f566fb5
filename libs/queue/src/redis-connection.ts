import { createIORedisClient, RedisConnection } from 'bullmq';
import Redis, { Cluster, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { AppConfig } from '@app/config';

/** A client of the configured Redis: one server (standalone or the sentinels' primary), or a cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Connection settings as BullMQ takes them (a plain object it may copy and extend). In cluster
 * mode they carry `clusterNodes`: BullMQ's own client construction knows no cluster, so the
 * client factory installed below builds an ioredis Cluster from them, with the rest as the
 * options of each node's connection.
 */
// Narrowed to what BullMQ's own RedisOptions accept (no null retryStrategy, an index signature).
export type RedisConnectionOptions = Omit<RedisOptions, 'retryStrategy'> & {
  retryStrategy?: (times: number) => number | void | null;
  clusterNodes?: ClusterNode[];
  [key: string]: unknown;
};

/** 'host:port,host:port' → ioredis nodes (an IPv6 host in brackets). */
export function parseHostPorts(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((hostPort) => {
      const colon = hostPort.lastIndexOf(':');
      return { host: hostPort.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(hostPort.slice(colon + 1)) };
    });
}

/** After a failover the old primary answers writes with READONLY until the client follows the new one. */
const reconnectOnReadonly = (error: Error) => (error.message.startsWith('READONLY') ? 2 : false);

/** Connection settings for ioredis, shared by BullMQ and the direct Redis clients. */
export function redisOptions(config: AppConfig): RedisConnectionOptions {
  const common = {
    password: config.REDIS_PASSWORD,
    // BullMQ workers block on Redis; a null limit lets them wait through a Redis restart.
    maxRetriesPerRequest: null,
  };
  switch (config.REDIS_MODE) {
    case 'sentinel':
      return {
        ...common,
        sentinels: parseHostPorts(config.REDIS_SENTINELS),
        name: config.REDIS_SENTINEL_NAME,
        sentinelPassword: config.REDIS_SENTINEL_PASSWORD,
        // No failoverDetector: a client closed with QUIT (as BullMQ closes its own) leaves the
        // detector's sentinel connections open. Sentinel cuts the old primary's clients off at a
        // failover anyway, and reconnecting asks the sentinels for the new one.
        reconnectOnError: reconnectOnReadonly,
      };
    case 'cluster':
      return { ...common, reconnectOnError: reconnectOnReadonly, clusterNodes: parseHostPorts(config.REDIS_CLUSTER_NODES) };
    default:
      return { ...common, host: config.REDIS_HOST, port: config.REDIS_PORT };
  }
}

function clusterOptions(nodeOptions: RedisOptions): ClusterOptions {
  return {
    redisOptions: nodeOptions,
    // The cluster-level switches ioredis reads from the top, not from each node's options.
    enableOfflineQueue: nodeOptions.enableOfflineQueue ?? true,
    lazyConnect: nodeOptions.lazyConnect ?? false,
    // A node that restarts is retried for as long as it takes (as a standalone server is).
    clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
    // A moved slot or a failed-over primary: re-read the slot map rather than fail the command.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2000,
  };
}

/** A new client of the configured Redis; `overrides` are ioredis options (timeouts, lazyConnect). */
export function createRedisClient(config: AppConfig, overrides: RedisOptions = {}): RedisClient {
  return clientFrom({ ...redisOptions(config), ...overrides } as RedisOptions & { clusterNodes?: ClusterNode[] });
}

function clientFrom(options: RedisOptions & { clusterNodes?: ClusterNode[] }): RedisClient {
  const { clusterNodes, ...nodeOptions } = options;
  return clusterNodes ? new Cluster(clusterNodes, clusterOptions(nodeOptions)) : new Redis(nodeOptions);
}

/**
 * BullMQ builds its connections (the queues', each worker's and its blocking one) through this
 * factory, so they reach a cluster too. It is process-wide but keeps no state: each connection's
 * own options say whether it is a cluster.
 */
RedisConnection.clientFactory = (opts) => createIORedisClient(clientFrom(opts as RedisOptions & { clusterNodes?: ClusterNode[] }));
