/** The database's, the sideload function's and the status checker's alarms, as data (see `alarmSettings.ts`). */
import type * as pulumi from "@pulumi/pulumi";
import { formatBytes } from "./alarmThresholds";
import { ALARM_SETTINGS, type AlarmInputs, type AlarmSpec, type DatabaseThresholds } from "./alarmSettings";
import type { MonitoringArgs } from "./args";

/** Database CPU, free storage, freeable memory and (when max_connections is known) connections. */
export function databaseAlarms(args: Pick<MonitoringArgs, "dbInstanceIdentifier" | "dbInstanceClass" | "dbStorageGb" | "dbMaxConnections" | "engine">, t: DatabaseThresholds): AlarmSpec[] {
    const specs: AlarmSpec[] = [];
    const alarm = (role: string, inputs: AlarmInputs) => specs.push({ role, inputs });
    const db = { DBInstanceIdentifier: args.dbInstanceIdentifier };
    const rds = (metricName: string, statistic: string) => ({ namespace: "AWS/RDS", metricName, dimensions: db, statistic, period: 300 });

    // 5. Database CPU.
    alarm("db-cpu", {
        alarmDescription:
            `Database CPU above ${ALARM_SETTINGS.dbCpuPercent} % for 15 minutes. Find the expensive queries ` +
            "(slow query log in CloudWatch Logs, Performance Insights where the class supports it) and, if the load is " +
            `legitimate, move to a larger class than ${args.dbInstanceClass} (database.instanceClass; applied in the maintenance window in production).`,
        ...rds("CPUUtilization", "Average"),
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: ALARM_SETTINGS.dbCpuPercent,
        treatMissingData: "notBreaching",
    });

    // 6. Free storage below 10 % of the storage the instance can grow to.
    alarm("db-free-storage", {
        alarmDescription:
            `Less than ${formatBytes(t.freeStorageBytes)} (10 % of the ${args.dbStorageGb} GiB the instance can grow to) free for 10 minutes. ` +
            "RDS storage autoscaling adds storage up to database.maxStorageGb, so the data is nearing what the instance can ever hold " +
            "(or autoscaling could not act: the instance was modified in the last 6 hours). Check the instance's events, " +
            "raise database.maxStorageGb (or storageGb) in the stack config, and look for runaway tables or logs.",
        ...rds("FreeStorageSpace", "Minimum"),
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: "LessThanThreshold",
        threshold: t.freeStorageBytes,
        treatMissingData: "notBreaching",
    });

    // 7. Freeable memory below ~10 % of the class memory (256 MiB for an unknown class).
    alarm("db-freeable-memory", {
        alarmDescription:
            `Database freeable memory below ${formatBytes(t.freeableMemoryBytes)} ` +
            (t.memoryGiB === undefined ? `(class ${args.dbInstanceClass} not in the table) ` : `(10 % of the ${t.memoryGiB} GiB of ${args.dbInstanceClass}) `) +
            "for 15 minutes: the instance will swap and slow down. Check connections and memory-hungry queries; " +
            "move to a larger class if the working set has outgrown it.",
        ...rds("FreeableMemory", "Average"),
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: "LessThanThreshold",
        threshold: t.freeableMemoryBytes,
        treatMissingData: "notBreaching",
    });

    // 8. Connections near the limit.
    const { maxConnections, connections } = t;
    if (maxConnections !== undefined && connections !== undefined) {
        alarm("db-connections", {
            alarmDescription:
                `More than ${connections} database connections (80 % of max_connections ${maxConnections}` +
                (args.dbMaxConnections === undefined ? `, the ${args.engine} default for ${args.dbInstanceClass}` : "") +
                ") for 15 minutes: new connections will soon be refused. Look for connection leaks (restarting an app " +
                "server frees its pool), compare with the number of app servers, or move to a larger class.",
            ...rds("DatabaseConnections", "Maximum"),
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            comparisonOperator: "GreaterThanThreshold",
            threshold: connections,
            treatMissingData: "notBreaching",
        });
    }
    return specs;
}

/** The sideload function's errors and its dead-letter queue; the status checker's, when there is one. */
export function functionAlarms(args: Pick<MonitoringArgs, "sideloadFunctionName" | "sideloadDeadLetterQueueName" | "statusPage">): AlarmSpec[] {
    const specs: AlarmSpec[] = [];
    const alarm = (role: string, inputs: AlarmInputs) => specs.push({ role, inputs });
    // 9. Sideload function errors.
    alarm("sideload-errors", functionErrors(args.sideloadFunctionName, 1,
        "The sideload function failed at least once in 5 minutes: an upload or deletion in the content bucket may not " +
        "have reached the app servers' file system. Read the function's log group for the object key and the error; " +
        "failed events are retried, then land in the dead-letter queue (its own alarm).",
    ));

    // 10. Anything in the sideload dead-letter queue.
    alarm("sideload-dlq", queueNotEmpty(args.sideloadDeadLetterQueueName,
        "An event the sideload function could not process after its retries is in the dead-letter queue: that file is " +
        "missing from (or still present on) the app servers. Read the message for the object key, fix the cause from the " +
        "function's logs, then upload the object again or redrive the message, and purge the queue. OK returns when the queue is empty.",
    ));

    // 11–12. The status page's checker, when there is one. It runs every minute and records a
    // failing site as "down" rather than failing, so its errors are bugs or DynamoDB trouble;
    // one transient error is tolerated, 10 minutes of them mean a stale status page.
    if (args.statusPage !== undefined) {
        alarm("status-checker-errors", functionErrors(args.statusPage.checkerFunctionName, 2,
            "The status page's checker function has failed in two 5-minute periods in a row: the status page shows " +
            "stale results. Read the checker's log group; check its DynamoDB table and its permissions.",
        ));
        if (args.statusPage.checkerDeadLetterQueueName !== undefined) {
            alarm("status-checker-dlq", queueNotEmpty(args.statusPage.checkerDeadLetterQueueName,
                "A scheduled status check could not be delivered to the checker function and is in its dead-letter queue. " +
                "Read the message and the checker's logs, then purge the queue (old checks need no redrive).",
            ));
        }
    }
    return specs;
}

/** A function's errors above 0 in `periods` 5-minute periods in a row; no invocations is good news. */
function functionErrors(functionName: pulumi.Input<string>, periods: number, alarmDescription: string): AlarmInputs {
    return aboveZero(alarmDescription, "AWS/Lambda", "Errors", { FunctionName: functionName }, "Sum", periods);
}

/** Any message visible in a (dead-letter) queue; OK returns when it is empty. */
function queueNotEmpty(queueName: pulumi.Input<string>, alarmDescription: string): AlarmInputs {
    return aboveZero(alarmDescription, "AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: queueName }, "Maximum", 1);
}

/** A 5-minute metric above 0 in `periods` periods in a row; missing data is good news. */
function aboveZero(
    alarmDescription: string,
    namespace: string,
    metricName: string,
    dimensions: Record<string, pulumi.Input<string>>,
    statistic: string,
    periods: number,
): AlarmInputs {
    return {
        alarmDescription,
        namespace,
        metricName,
        dimensions,
        statistic,
        period: 300,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
    };
}
