/**
 * The policy pack `pulumi preview --policy-pack policy` runs. The CLI starts this file in its own process
 * with the stack's config: `dashboard:environment` sets each policy's enforcement level, the licence key
 * is the secret no resource may carry. Constructing the pack starts its gRPC server, so nothing else
 * imports this file: the offline plan imports `./policies`.
 */
import { PolicyPack } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { packFacts } from "./facts";
import { policies } from "./policies";

new PolicyPack("dashboard", {
    description: "The dashboard's compliance rules (Checkov and AWS FSBP ids), the same the offline plan runs",
    policies: policies(packFacts(pulumi.runtime.allConfig())),
});
