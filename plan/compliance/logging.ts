/**
 * The logging rules: VPC flow logs and log group retention.
 */
import { label, of, T, type Rule } from "./rule";

export const vpcFlowLogs: Rule = {
    id: "CKV2_AWS_11 / EC2.6",
    title: "VPC flow logs record all traffic",
    check: (ctx) => {
        const vpcs = of(ctx, T.vpc);
        if (vpcs.length === 0) return { notApplicable: "existing VPC: its flow logs belong to its owner" };
        return vpcs.flatMap((v) =>
            of(ctx, T.flowLog).some((f) => f.inputs.vpcId === v.state.vpcId && f.inputs.trafficType === "ALL") ? [] : [`${label(v)}: no flow log of ALL traffic`],
        );
    },
};

export const logGroupRetention: Rule = {
    id: "CKV_AWS_66",
    title: "Every log group has a retention period",
    check: (ctx) => of(ctx, T.logGroup).flatMap((g) => (Number(g.inputs.retentionInDays ?? 0) > 0 ? [] : [`${label(g)}: no retention`])),
};
