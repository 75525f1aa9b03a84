import type * as pulumi from "@pulumi/pulumi";
import type { Engine } from "../../common/engines";
import type { AppTierArgs } from "../app";
import type { ContainersConfig } from "./services";

/** What the Fargate services need to know about the database. */
export interface FargateDatabaseArgs {
    /** Host name of the database (`PI_DB_HOST`). @default required */
    readonly address: pulumi.Input<string>;
    /** Port of the database (`PI_DB_PORT`); the dashboard's and scheduler's groups get egress to it. @default required */
    readonly port: pulumi.Input<number>;
    /** The engine: `PI_DB_IS_MYSQL=true` for mariadb and mysql. @default required */
    readonly engine: Engine;
    /** The schema (`PI_DB_SCHEMA_NAME`). @default required */
    readonly databaseName: pulumi.Input<string>;
    /**
     * The RDS-managed secret: the containers get its `username` and `password` keys as secrets, the
     * execution role may read exactly it, and its rotation redeploys the dashboard and scheduler.
     * @default required
     */
    readonly secretArn: pulumi.Input<string>;
    /** The database's security group, which the egress rules to the database port name. @default required */
    readonly securityGroupId: pulumi.Input<string>;
}

/** What the Fargate services need to know about the shared content file system. */
export interface FargateSideloadArgs {
    /** The EFS file system the volumes' access points are made on. Changing it replaces them. @default required */
    readonly fileSystemId: pulumi.Input<string>;
    /** Its ARN (the task roles' mount permission names it). @default required */
    readonly fileSystemArn: pulumi.Input<string>;
    /** The mount targets' security group, which the NFS egress rules name. @default required */
    readonly securityGroupId: pulumi.Input<string>;
    /** POSIX user of every access point (the sideload's). A change replaces the access points. @default required */
    readonly uid: number;
    /** POSIX group of every access point. A change replaces the access points. @default required */
    readonly gid: number;
    /** The sideload access point's root, under which the upload folders' directories lie (`/content`). @default required */
    readonly contentRoot: string;
    /** The upload folders: `themes`, `images` and `excel-data` feed the volumes of the same content. @default required */
    readonly folders: readonly string[];
    /** Upload folder → directory under `contentRoot`. A change moves (replaces) the volume's access point. @default required */
    readonly directories: Readonly<Record<string, string>>;
    /** The mount targets: the services wait for them, so their first tasks can mount. @default [] */
    readonly mountTargets?: readonly pulumi.Resource[];
}

/** The Fargate platform: the app tier's common args (network, ingress, environment, retention), and its own. */
export interface FargateClusterArgs extends AppTierArgs {
    /**
     * The `app.containers` block: tag, repository, registry credentials, Container Insights, Tomcat's
     * memory, URL-variable names, each service's size, count, image, env and switches. A new tag or size
     * registers new task definitions and rolls the services (100 %/200 %, circuit breaker with rollback).
     * @default required
     */
    readonly containers: ContainersConfig;
    /** The licence key (a secret): stored in Secrets Manager, injected as `PI_LICENCE`. @default none (no licence secret) */
    readonly licenceKey?: pulumi.Input<string>;
    /** Duration of the load balancer's stickiness cookie, in seconds. @default required */
    readonly stickinessSeconds: number;
    /** The database. @default required */
    readonly database: FargateDatabaseArgs;
    /** The shared content file system. @default required */
    readonly sideload: FargateSideloadArgs;
    /**
     * The Cloud Map namespace of Service Connect: unique per account and region, so derived from the
     * customer and stack (`dashboard-<customer>-<stack>`). Changing it replaces the namespace and
     * every service's Service Connect configuration.
     * @default required
     */
    readonly namespaceName: string;
    /**
     * Prefix of the task-definition families (`<prefix>-dashboard`, …): letters, digits, `-`, `_`;
     * stack-unique, so two stacks never share a family's revisions. Changing it registers new families.
     * @default required
     */
    readonly familyPrefix: string;
}
