import * as pulumi from "@pulumi/pulumi";
import { awsLookups, loadConfig, resolveConfig } from "./config";
import { deploy, type StackOutputs } from "./program";

// Validate the whole stack config, then check it against what exists (the existing VPC and its
// subnets, the snapshot to restore, the image), all before anything is registered; then build the
// stack. Every property of the returned object is a stack output.
export = async (): Promise<StackOutputs> => {
    const region = new pulumi.Config("aws").get("region");
    const config = await resolveConfig(loadConfig(), awsLookups(region));
    return deploy(config, { region, stack: pulumi.getStack() });
};
