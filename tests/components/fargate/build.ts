/** Builds a FargateCluster under the mocks, with args as the program passes them; shared by the Fargate component tests. */
import * as pulumi from "@pulumi/pulumi";
import { FargateCluster, type FargateClusterArgs } from "../../../components/fargate";
import { ACCOUNT_ID, settle, startMocks, type MockRun } from "../../mocks";
import { DB_SECRET, containersConfig } from "./fixtures";

export const FS_ID = "fs-0a1b2c3d4e5f60718";
export const FS_ARN = `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT_ID}:file-system/${FS_ID}`;
export const DB_SG = "sg-0db0db0db0db0db00";
export const EFS_SG = "sg-0ef5ef5ef5ef5ef50";
export const DB_HOST = "dashboard-abc.c0mock.us-east-1.rds.amazonaws.com";
export const PRIVATE = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"];
export const LICENCE = "LIC-8f2c-Распознай";
export const CERT = `arn:aws:acm:us-east-1:${ACCOUNT_ID}:certificate/11111111-2222-4333-8444-555555555555`;

/** Resource type tokens the tests read. */
export const T = {
    cluster: "aws:ecs/cluster:Cluster",
    capacity: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    namespace: "aws:servicediscovery/httpNamespace:HttpNamespace",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    service: "aws:ecs/service:Service",
    accessPoint: "aws:efs/accessPoint:AccessPoint",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    tg: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    stateMachine: "aws:sfn/stateMachine:StateMachine",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
} as const;

/** The args of a development stack with a domain, a licence and every default service. */
export function fargateArgs(over: Partial<FargateClusterArgs> = {}): FargateClusterArgs {
    return {
        containers: containersConfig(),
        licenceKey: pulumi.secret(LICENCE),
        stickinessSeconds: 86400,
        domain: { name: "dashboard.acme.example.com", hostedZone: "Z0123456789ABCDEFGHIJ", certificateArn: CERT },
        allowedCidrs: ["0.0.0.0/0"],
        environment: "development",
        vpcId: "vpc-0123456789abcdef0",
        publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
        privateSubnetIds: PRIVATE,
        database: { address: DB_HOST, port: 3306, engine: "mariadb", databaseName: "dashboard", secretArn: DB_SECRET, securityGroupId: DB_SG },
        sideload: {
            fileSystemId: FS_ID,
            fileSystemArn: FS_ARN,
            securityGroupId: EFS_SG,
            uid: 1000,
            gid: 1000,
            contentRoot: "/content",
            folders: ["images", "themes", "excel-data"],
            directories: { "excel-data": "excel", images: "images", themes: "themes" },
        },
        logRetentionDays: 30,
        protect: false,
        namespaceName: "dashboard-acme-acme-dev",
        familyPrefix: "dashboard-acme-acme-dev",
        ...over,
    };
}

/** A FargateCluster `app` under fresh mocks, every registration settled. */
export async function buildCluster(over: Partial<FargateClusterArgs> = {}): Promise<{ run: MockRun; cluster: FargateCluster }> {
    const run = await startMocks({ stack: "acme-dev", region: "us-east-1" });
    const cluster = new FargateCluster("app", fargateArgs(over));
    await settle();
    run.assertNoDuplicates();
    return { run, cluster };
}

/** A recorded JSON input, parsed. */
export const json = (value: unknown) => JSON.parse(value as string);
