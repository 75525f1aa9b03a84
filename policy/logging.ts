/**
 * The logging rules: VPC flow logs and log group retention.
 */
import { label, of, onType, refersTo, T, type DashboardPolicy } from "./rule";

export const vpcFlowLogs: DashboardPolicy = {
    id: "CKV2_AWS_11 / EC2.6",
    name: "ckv2-aws-11-ec2-6",
    description: "VPC flow logs record all traffic",
    validateStack: (args, report) => {
        const vpcs = of(args.resources, T.vpc);
        if (vpcs.length === 0) args.notApplicable("existing VPC: its flow logs belong to its owner");
        for (const v of vpcs) {
            const logged = of(args.resources, T.flowLog).some((f) => f.props.trafficType === "ALL" && refersTo(f, "vpcId", v, ["vpcId"]));
            if (!logged) report(`${label(v)}: no flow log of ALL traffic`, v.urn);
        }
    },
};

export const logGroupRetention: DashboardPolicy = {
    id: "CKV_AWS_66",
    name: "ckv-aws-66",
    description: "Every log group has a retention period",
    validateResource: onType(T.logGroup, (props, args, report) => {
        if (Number(props.retentionInDays ?? 0) <= 0) report(`${label(args)}: no retention`);
    }),
};
