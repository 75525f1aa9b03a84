/**
 * What the stack's alarms are made of: their settings, the database thresholds, and the shape of an
 * alarm as data (its role, the alarm being named `<monitoring>-<role>`, and its inputs without
 * actions). The alarms themselves are listed by `loadBalancerAlarms.ts` and `backendAlarms.ts`;
 * {@link MonitoringAlarms} creates one CloudWatch alarm per entry.
 *
 * Missing data. Request, error and latency metrics exist only when there is traffic or an
 * error, and Lambda/SQS metrics only when something happens: no data is good news there
 * (notBreaching). The database metrics are published every minute while the instance runs;
 * a gap is a reboot or modification, which the load-balancer alarms cover, not evidence of
 * CPU, storage, memory or connection pressure (notBreaching). In-service instances is
 * published every minute while group metrics collection is on, even when it is 0: silence
 * means the fleet is no longer visible, so it counts as breaching.
 */
import type * as aws from "@pulumi/aws";
import {
    connectionsThreshold,
    defaultMaxConnections,
    freeableMemoryThresholdBytes,
    freeStorageThresholdBytes,
    instanceClassMemoryGiB,
} from "./alarmThresholds";
import type { MonitoringArgs } from "./args";

/** Alarm thresholds and evaluation settings (exported for tests and the README). */
export const ALARM_SETTINGS = {
    /** 5xx share of requests (%) over 5 one-minute periods, with at least this many requests a minute. */
    errorRatePercent: 5,
    minRequestsPerMinute: 10,
    latencyP95Seconds: 2,
    dbCpuPercent: 80,
} as const;

/** An alarm's inputs, without its actions and name; the description is prefixed with the stack's label. */
export type AlarmInputs = Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name" | "alarmDescription"> & {
    readonly alarmDescription: string;
};

/** One alarm: its role in the name and its inputs. */
export interface AlarmSpec {
    readonly role: string;
    readonly inputs: AlarmInputs;
}

/** The database thresholds, shared by the alarms and the dashboard's lines. */
export interface DatabaseThresholds {
    readonly freeStorageBytes: number;
    readonly freeableMemoryBytes: number;
    /** The class's memory; undefined when the class is not in the table. */
    readonly memoryGiB?: number;
    /** `dbMaxConnections`, or the engine's default for the class; undefined when neither is known. */
    readonly maxConnections?: number;
    /** The connections alarm's threshold; undefined without `maxConnections` (no such alarm). */
    readonly connections?: number;
}

/** The database thresholds of the args. */
export function databaseThresholds(args: Pick<MonitoringArgs, "dbStorageGb" | "dbInstanceClass" | "dbMaxConnections" | "engine">): DatabaseThresholds {
    const maxConnections = args.dbMaxConnections ?? defaultMaxConnections(args.engine, args.dbInstanceClass);
    return {
        freeStorageBytes: freeStorageThresholdBytes(args.dbStorageGb),
        freeableMemoryBytes: freeableMemoryThresholdBytes(args.dbInstanceClass),
        memoryGiB: instanceClassMemoryGiB(args.dbInstanceClass),
        maxConnections,
        connections: maxConnections === undefined ? undefined : connectionsThreshold(maxConnections),
    };
}
