import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config";
import { deploy } from "./program";

// Validate the whole stack config before anything is registered, then build the stack.
const outputs = deploy(loadConfig(), {
    region: new pulumi.Config("aws").get("region"),
    stack: pulumi.getStack(),
});

export const url = outputs.url;
export const contentBucket = outputs.contentBucket;
export const resyncCommand = outputs.resyncCommand;
export const databaseEndpoint = outputs.databaseEndpoint;
export const databaseSecretArn = outputs.databaseSecretArn;
export const licenceSecretArn = outputs.licenceSecretArn;
export const autoScalingGroupName = outputs.autoScalingGroupName;
export const shellCommand = outputs.shellCommand;
export const loadBalancerDnsName = outputs.loadBalancerDnsName;
export const appLogGroup = outputs.appLogGroup;
export const vpcId = outputs.vpcId;
export const fileSystemId = outputs.fileSystemId;
export const alarmTopicArn = outputs.alarmTopicArn;
export const dashboardName = outputs.dashboardName;
export const statusPageUrl = outputs.statusPageUrl;
