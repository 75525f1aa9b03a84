import type { RecordedResource } from "../tests/mocks";

/** Input paths worth a reviewer's eye, shown when a resource sets them. */
const PATHS = [
    "instanceType", "instanceClass", "engine", "engineVersion", "allocatedStorage", "maxAllocatedStorage", "multiAz",
    "backupRetentionPeriod", "deletionProtection", "storageEncrypted", "cidrBlock", "availabilityZoneNames",
    "natGateways.strategy", "serviceName", "vpcEndpointType", "port", "protocol", "sslPolicy", "ipProtocol", "fromPort",
    "toPort", "cidrIpv4", "retentionInDays", "minSize", "maxSize", "desiredCapacity", "memorySize", "timeout", "runtime",
    "architectures", "reservedConcurrentExecutions", "throughputMode", "encrypted", "idleTimeout",
    "enableDeletionProtection", "healthCheck.path", "deregistrationDelay", "metadataOptions.httpTokens",
    "blockDeviceMappings.0.ebs.volumeSize", "blockDeviceMappings.0.ebs.encrypted", "rotationRules.automaticallyAfterDays",
    "trafficType", "metricName", "statistic", "extendedStatistic", "comparisonOperator", "threshold", "period",
    "evaluationPeriods", "scheduleExpression", "billingMode", "messageRetentionSeconds", "versioningConfiguration.status",
] as const;

/** Inputs whose value is a list: the count is shown, not the ids. */
const COUNTED = ["subnetIds", "subnets", "vpcZoneIdentifiers"] as const;

function at(value: unknown, path: string): unknown {
    let v = value;
    for (const part of path.split(".")) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<string, unknown>)[part];
    }
    return v;
}

/** The reviewer-relevant settings of a resource: sizes, zones, ports, CIDRs, retention, protection. */
export function settingsOf(r: RecordedResource): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of PATHS) {
        const v = at(r.inputs, p);
        if (v !== undefined && v !== null && v !== "") out[p.replace(/^blockDeviceMappings\.0\.ebs\./, "rootVolume.")] = v;
    }
    for (const p of COUNTED) {
        const v = r.inputs[p];
        if (Array.isArray(v)) out[p] = v.length;
    }
    if (r.protect) out.protect = true;
    return out;
}
