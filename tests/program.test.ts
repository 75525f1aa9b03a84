import * as assert from "node:assert/strict";
import { maxConnectionsParameter, stackTags } from "../program";
import { runProgram, type ProgramRun } from "../plan/run";
import { loadStackConfig } from "./mocks";
import { STACKS } from "./stackPlans";

async function run(stack: string): Promise<ProgramRun> {
    const file = loadStackConfig(stack);
    const result = await runProgram(stack, file.region ?? "us-east-1", file.config, file.secretKeys);
    assert.ok(!("errors" in result), "errors" in result ? result.errors.join("\n") : "");
    return result;
}

describe("the program (index.ts → program.ts)", () => {
    let dev: ProgramRun;
    before(async () => {
        dev = await run("dev");
    });

    it("tags every resource through one AWS provider: customer, environment, stack, managed-by", () => {
        const providers = dev.resources.filter((r) => r.type === "pulumi:providers:aws");
        assert.equal(providers.length, 1);
        assert.deepEqual(JSON.parse(providers[0].inputs.defaultTags), { tags: { customer: "demo", environment: "development", stack: "dev", "managed-by": "pulumi" } });
        assert.equal(providers[0].inputs.region, "us-east-1");
        const untagged = dev.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.provider.startsWith(providers[0].urn));
        assert.deepEqual(untagged.map((r) => `${r.type} ${r.name}`), []);
        // Look-ups go through it too, so they ask the stack's region.
        const elsewhere = dev.invokes.filter((i) => i.token.startsWith("aws:") && !i.provider.startsWith(providers[0].urn));
        assert.deepEqual(elsewhere.map((i) => i.token), []);
    });

    it("tags what the Auto Scaling groups launch (app servers and NAT instances), which provider default tags do not reach", () => {
        const templates = dev.resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate");
        assert.deepEqual(templates.map((t) => t.name), ["network-nat-1-lt", "app-lt"]);
        for (const lt of templates) {
            for (const spec of lt.inputs.tagSpecifications) {
                assert.equal(spec.tags.customer, "demo", `${lt.name} ${spec.resourceType}`);
                assert.equal(spec.tags.stack, "dev");
                assert.equal(spec.tags["managed-by"], "pulumi");
            }
        }
    });

    it("builds Network → Database → Sideload → AppCluster → Monitoring, each a component", () => {
        // Top-level components only: the parts nested in a component are checked by its own tests.
        const components = dev.resources.filter((r) => !r.custom && r.type.startsWith("dashboard:") && r.parent === "").map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(components, [
            "dashboard:network:Network network",
            "dashboard:database:Database database",
            "dashboard:sideload:Sideload sideload",
            "dashboard:app:AppCluster app",
            "dashboard:monitoring:Monitoring monitoring",
        ]);
    });

    it("grants access explicitly: the database and the file system admit the app servers' group, as their own children", () => {
        const appSg = dev.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "app-servers")!;
        const db = dev.resources.find((r) => r.name === "database-from-app")!;
        const efs = dev.resources.find((r) => r.name === "sideload-mount-from-app")!;
        assert.equal(db.inputs.referencedSecurityGroupId, appSg.id);
        assert.equal(db.inputs.fromPort, 3306);
        assert.equal(efs.inputs.referencedSecurityGroupId, appSg.id);
        assert.equal(efs.inputs.fromPort, 2049);
        assert.ok(db.parent.endsWith("::database") && efs.parent.endsWith("::sideload-filesystem"));
        // The file system policy names the app servers' role and the sideload function's, nobody else.
        const policy = JSON.parse(dev.resources.find((r) => r.type === "aws:efs/fileSystemPolicy:FileSystemPolicy" && r.name === "sideload-fs-policy")!.inputs.policy);
        const role = (name: string) => dev.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === name)!.state.arn;
        assert.deepEqual(policy.Statement[0].Principal, { AWS: [role("sideload-role"), role("app-instance")] });
    });

    it("registers no (type, name) pair twice, in any stack file", async () => {
        for (const stack of STACKS) {
            const r = stack === "dev" ? dev : await run(stack);
            const keys = r.resources.map((x) => `${x.type}::${x.name}`);
            assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], stack);
        }
    });

    it("starts no app server before the file system can be mounted", () => {
        const asg = dev.resources.find((r) => r.type === "aws:autoscaling/group:Group" && r.name === "app-asg")!;
        const targets = dev.resources.filter((r) => r.type === "aws:efs/mountTarget:MountTarget").map((r) => r.urn);
        assert.equal(targets.length, 2);
        for (const t of targets) assert.ok(asg.dependencies.includes(t), t);
    });

    it("outputs what a user needs, and never a secret value", () => {
        assert.match(String(dev.outputs.shellCommand), /^aws ssm start-session --region us-east-1 --target "\$\(aws autoscaling describe-auto-scaling-groups --region us-east-1 --auto-scaling-group-names app-asg-[0-9a-f]{7} /);
        assert.match(String(dev.outputs.resyncCommand), /--function-name sideload-[a-z0-9]{8} .*--payload '\{"resync":true\}'/);
        assert.match(String(dev.outputs.databaseEndpoint), /^dashboard-[a-z0-9]{8}\..+\.rds\.amazonaws\.com:3306$/);
        assert.equal(dev.outputs.statusPageUrl, null);
        assert.equal(dev.outputs.licenceSecretArn, null);
        // An EC2 stack has no cluster and no services.
        assert.deepEqual([dev.outputs.clusterName, dev.outputs.serviceNames], [null, null]);
    });

    it("passes a numeric max_connections to the connections alarm, and nothing else", () => {
        assert.equal(maxConnectionsParameter({ max_connections: "300" }), 300);
        assert.equal(maxConnectionsParameter({ max_connections: "{DBInstanceClassMemory/12582880}" }), undefined);
        assert.equal(maxConnectionsParameter({}), undefined);
        assert.deepEqual(stackTags({ customer: "a", environment: "staging" } as any, "s"), { customer: "a", environment: "staging", stack: "s", "managed-by": "pulumi" });
    });
});

describe("the program on the Fargate platform (example-fargate)", () => {
    let fargate: ProgramRun;
    before(async () => {
        fargate = await run("example-fargate");
    });
    const find = (type: string, name: string) => {
        const found = fargate.resources.filter((r) => r.type === type && r.name === name);
        assert.equal(found.length, 1, `${type} ${name}`);
        return found[0];
    };
    const sg = (name: string) => find("aws:ec2/securityGroup:SecurityGroup", name).id;
    const arn = (type: string, name: string) => find(type, name).state.arn as string;
    const physical = (type: string, name: string) => find(type, name).state.name as string;

    it("builds Network → Database → Sideload → FargateCluster → Monitoring, and no EC2 app server", () => {
        const components = fargate.resources.filter((r) => !r.custom && r.type.startsWith("dashboard:") && r.parent === "").map((r) => `${r.type} ${r.name}`);
        assert.deepEqual(components, [
            "dashboard:network:Network network",
            "dashboard:database:Database database",
            "dashboard:sideload:Sideload sideload",
            "dashboard:fargate:FargateCluster app",
            "dashboard:monitoring:Monitoring monitoring",
        ]);
        assert.deepEqual(fargate.resources.filter((r) => ["aws:autoscaling/group:Group", "aws:ec2/launchTemplate:LaunchTemplate", "aws:ssm/association:Association"].includes(r.type)), []);
    });

    it("the database admits the dashboard's and scheduler's groups only; the file system admits them through their own access points only", () => {
        const ingress = fargate.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.parent.endsWith("::database"));
        assert.deepEqual(ingress.map((r) => [r.name, r.inputs.referencedSecurityGroupId, r.inputs.fromPort]).sort(), [
            ["database-from-app-dashboard", sg("app-sg-dashboard"), 3306],
            ["database-from-app-scheduler", sg("app-sg-scheduler"), 3306],
        ]);
        const nfs = fargate.resources.filter((r) => r.name.startsWith("sideload-mount-from-"));
        assert.deepEqual(nfs.map((r) => [r.name, r.inputs.referencedSecurityGroupId, r.inputs.fromPort]).sort(), [
            ["sideload-mount-from-app-dashboard", sg("app-sg-dashboard"), 2049],
            ["sideload-mount-from-app-scheduler", sg("app-sg-scheduler"), 2049],
            ["sideload-mount-from-lambda", sg("sideload-lambda-sg"), 2049],
        ]);
        const ap = (v: string) => arn("aws:efs/accessPoint:AccessPoint", `app-volumes-${v}`);
        const policy = JSON.parse(find("aws:efs/fileSystemPolicy:FileSystemPolicy", "sideload-fs-policy").inputs.policy);
        assert.deepEqual(
            policy.Statement.filter((s: any) => s.Effect === "Allow").map((s: any) => [s.Sid, s.Principal.AWS, s.Condition.StringEquals["elasticfilesystem:AccessPointArn"]]),
            [
                ["MountThroughAccessPoint", [arn("aws:iam/role:Role", "sideload-role")], arn("aws:efs/accessPoint:AccessPoint", "sideload-access-point")],
                ["MountAppDashboard", [arn("aws:iam/role:Role", "app-dashboard-task")], ["keys", "custom_jdbc", "themes", "images", "files", "svg", "locale"].map(ap)],
                ["MountAppScheduler", [arn("aws:iam/role:Role", "app-scheduler-task")], ap("keys")],
            ],
        );
    });

    it("starts no task before the file system can be mounted", () => {
        const targets = fargate.resources.filter((r) => r.type === "aws:efs/mountTarget:MountTarget").map((r) => r.urn);
        assert.equal(targets.length, 3);
        for (const s of fargate.resources.filter((r) => r.type === "aws:ecs/service:Service")) for (const t of targets) assert.ok(s.dependencies.includes(t), `${s.name} waits for ${t}`);
    });

    it("outputs the cluster, the services, an ECS Exec shell into a dashboard task, the dashboard's log group; no Auto Scaling group", () => {
        const cluster = physical("aws:ecs/cluster:Cluster", "app-ecs-cluster");
        const service = (role: string) => physical("aws:ecs/service:Service", `app-${role}-service`);
        assert.equal(fargate.outputs.clusterName, cluster);
        assert.deepEqual(fargate.outputs.serviceNames, { dashboard: service("dashboard"), scheduler: service("scheduler"), renderer: service("renderer"), pirana: service("pirana") });
        assert.equal(
            fargate.outputs.shellCommand,
            `aws ecs execute-command --region us-east-1 --cluster ${cluster} --container dashboard --interactive --command /bin/sh --task "$(aws ecs list-tasks --region us-east-1 --cluster ${cluster} --service-name ${service("dashboard")} --desired-status RUNNING --query 'taskArns[0]' --output text)"`,
        );
        assert.equal(fargate.outputs.appLogGroup, physical("aws:cloudwatch/logGroup:LogGroup", "app-dashboard-logs"));
        assert.equal(fargate.outputs.autoScalingGroupName, null);
        assert.equal(fargate.outputs.url, "https://dashboard.initech.example.com");
        assert.equal(fargate.outputs.loadBalancerDnsName, find("aws:lb/loadBalancer:LoadBalancer", "app-alb").state.dnsName);
    });

    it("Monitoring watches each service's CPU and memory and ECS's own events, and no Auto Scaling group", () => {
        const alarms = fargate.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.name);
        for (const role of ["dashboard", "scheduler", "renderer", "pirana"]) {
            assert.ok(alarms.includes(`monitoring-ecs-${role}-cpu`) && alarms.includes(`monitoring-ecs-${role}-memory`), role);
        }
        assert.ok(alarms.includes("monitoring-ecs-dashboard-tasks"), "Container Insights on: tasks below desired");
        assert.ok(!alarms.some((a) => a.includes("asg")), alarms.join(", "));
        const cpu = find("aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-ecs-dashboard-cpu");
        assert.deepEqual(cpu.inputs.dimensions, { ClusterName: physical("aws:ecs/cluster:Cluster", "app-ecs-cluster"), ServiceName: physical("aws:ecs/service:Service", "app-dashboard-service") });
        assert.ok(fargate.resources.some((r) => r.type === "aws:cloudwatch/eventRule:EventRule" && r.name === "monitoring-ecs-events"));
    });

    it("the status page checks the dashboard's version path on the Fargate platform", async () => {
        const file = loadStackConfig("example-fargate");
        const config = { ...file.config, "dashboard:statusPage": JSON.stringify({ enabled: true }) };
        const r = await runProgram("example-fargate", "us-east-1", config, file.secretKeys);
        assert.ok(!("errors" in r), "errors" in r ? r.errors.join("\n") : "");
        const checker = r.resources.find((x) => x.type === "aws:lambda/function:Function" && x.name === "status-checker")!;
        assert.equal(checker.inputs.environment.variables.TARGET_URL, "https://dashboard.initech.example.com/pi/version");
    });
});
