import type * as pulumi from "@pulumi/pulumi";
import type { DatabaseConfig } from "../../config/types";

/**
 * Arguments of {@link Database}: the fully defaulted `database` config (each field documented, with
 * its default and what a change replaces, on {@link DatabaseConfig}) plus what the network and the
 * stack provide.
 */
export interface DatabaseArgs extends DatabaseConfig {
    /** VPC of the database's security group. Changing it replaces the group. @default required */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets of the subnet group (two or more zones). @default required */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Pulumi `protect` on the instance. @default required */
    readonly protect: boolean;
    /** Retention of the exported log groups, days. @default required */
    readonly logRetentionDays: number;
}
