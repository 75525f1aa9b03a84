/**
 * The ECS task definition rules (the Fargate platform): EFS over TLS through access points, no
 * privileged container, every container logging, separate execution and task roles, and read-only root
 * file systems (advisory). A stack without task definitions (the EC2 platform) is not their business:
 * they do not apply there. A task definition's containers are its `containerDefinitions`, the JSON string
 * of a list the provider takes; while that string is not known (a preview of a definition computed from
 * resources yet to be created), the rules check the others and then give the CLI's advisory "can't run
 * policy during preview".
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { isSet, isTrue, known, label, of, T, type DashboardPolicy, type Props } from "./rule";

/** One container of a task definition. */
export interface Container {
    readonly task: PolicyResource;
    /** The container's `name`, or `#<index>` without one. */
    readonly name: string;
    /** The container definition, parsed. */
    readonly def: Props;
}

/**
 * The stack's task definitions; without one the calling rule does not apply.
 *
 * @param args The stack validation's arguments. @default required
 */
export function taskDefinitions(args: StackValidationArgs): PolicyResource[] {
    const tasks = of(args.resources, T.taskDefinition);
    if (tasks.length === 0) args.notApplicable("no ECS task definition in the stack");
    return tasks;
}

/**
 * A task definition's container definitions: undefined while not known yet (preview), null when they are not a JSON list of objects.
 *
 * @param task A task definition. @default required
 */
export function containerDefinitions(task: PolicyResource): Props[] | null | undefined {
    const raw: unknown = known(() => task.props.containerDefinitions ?? null);
    if (raw === undefined) return undefined;
    let list: unknown = raw;
    if (typeof raw === "string") {
        try {
            list = JSON.parse(raw);
        } catch {
            return null;
        }
    }
    return Array.isArray(list) && list.every((d) => d !== null && typeof d === "object") ? (list as Props[]) : null;
}

/**
 * Runs `check` on every container of the stack's task definitions; `say` reports on the task definition,
 * prefixed `<TaskDefinition name>: container <name>:`. Definitions not known yet come last: reading one
 * again lets the SDK's unknown-value error through, which the runner reports as "can't run during preview".
 *
 * @param args The stack validation's arguments. @default required
 * @param report The validation's report function. @default required
 * @param check The check of one container. @default required
 */
export function eachContainer(args: StackValidationArgs, report: ReportViolation, check: (c: Container, say: (problem: string) => void) => void): void {
    const pending: PolicyResource[] = [];
    for (const task of taskDefinitions(args)) {
        const defs = containerDefinitions(task);
        if (defs === undefined) pending.push(task);
        else if (defs === null) report(`${label(task)}: containerDefinitions is not a JSON list of container definitions`, task.urn);
        else {
            defs.forEach((def, i) => {
                const name = typeof def.name === "string" ? def.name : `#${i}`;
                check({ task, name, def }, (problem) => report(`${label(task)}: container ${name}: ${problem}`, task.urn));
            });
        }
    }
    for (const task of pending) readAgain(() => task.props.containerDefinitions);
}

/** Reads a value outside `known`, so that a value not known yet throws the SDK's error to the runner. */
function readAgain(read: () => unknown): void {
    read();
}

/** Whether a task definition runs on Fargate. */
const onFargate = (task: PolicyResource) => (known(() => [...(task.props.requiresCompatibilities ?? [])]) ?? []).includes("FARGATE");

export const ecsEfsInTransit: DashboardPolicy = {
    id: "CKV_AWS_97 / ECS.18",
    name: "ckv-aws-97-ecs-18",
    description: "ECS tasks mount EFS with TLS and IAM authorization through an access point",
    validateStack: (args, report) => {
        const mounts = taskDefinitions(args).flatMap((t) => ((t.props.volumes ?? []) as Props[]).filter((v) => v.efsVolumeConfiguration).map((v) => ({ t, v })));
        if (mounts.length === 0) args.notApplicable("no ECS task definition mounts EFS");
        for (const { t, v } of mounts) {
            const efs = v.efsVolumeConfiguration;
            const auth = efs.authorizationConfig ?? {};
            const say = (problem: string) => report(`${label(t)}: volume ${v.name}: ${problem}`, t.urn);
            if (efs.transitEncryption !== "ENABLED") say("transitEncryption is not ENABLED");
            if (auth.iam !== "ENABLED") say("IAM authorization is not ENABLED");
            if (!isSet(() => auth.accessPointId)) say("no access point");
        }
    },
};

export const ecsNotPrivileged: DashboardPolicy = {
    id: "CKV_AWS_334 / ECS.4",
    name: "ckv-aws-334-ecs-4",
    description: "ECS containers run non-privileged",
    validateStack: (args, report) =>
        eachContainer(args, report, (c, say) => {
            if (isTrue(c.def.privileged)) say("privileged");
        }),
};

/** The awslogs options a container needs: group and region, and the stream prefix on Fargate. */
const awslogsOptions = (task: PolicyResource) => ["awslogs-group", "awslogs-region", ...(onFargate(task) ? ["awslogs-stream-prefix"] : [])];

export const ecsLogging: DashboardPolicy = {
    id: "ECS.9",
    name: "ecs-9",
    description: "Every ECS container logs; awslogs to one of the stack's log groups",
    validateStack: (args, report) => {
        // The stack's log groups are held to a retention (CKV_AWS_66); a group from elsewhere is not.
        const groups = new Set(of(args.resources, T.logGroup).map((g) => known(() => g.props.name as unknown)));
        eachContainer(args, report, (c, say) => {
            const log: Props | undefined = c.def.logConfiguration ?? undefined;
            if (typeof log?.logDriver !== "string" || log.logDriver === "") return say("no logConfiguration with a logDriver");
            if (log.logDriver !== "awslogs") return;
            const options: Props = log.options ?? {};
            for (const o of awslogsOptions(c.task)) if (typeof options[o] !== "string" || options[o] === "") say(`awslogs without ${o}`);
            const group: unknown = options["awslogs-group"];
            if (typeof group === "string" && group !== "" && !groups.has(group)) say(`awslogs-group ${group} is none of the stack's log groups, so no retention holds for it`);
        });
    },
};

/**
 * Whether a task definition's two role ARNs are the same role: equal values or, while unknown (preview),
 * computed from the same resources.
 */
function sameRole(t: PolicyResource): boolean {
    const exec: unknown = known(() => t.props.executionRoleArn ?? null);
    const task: unknown = known(() => t.props.taskRoleArn ?? null);
    if (exec !== undefined && task !== undefined) return exec !== null && exec !== "" && exec === task;
    const a = t.propertyDependencies.executionRoleArn ?? [];
    const b = t.propertyDependencies.taskRoleArn ?? [];
    return exec === undefined && task === undefined && a.length > 0 && a.length === b.length && a.every((r) => b.includes(r));
}

export const ecsSeparateRoles: DashboardPolicy = {
    id: "CKV_AWS_249",
    name: "ckv-aws-249",
    description: "ECS task definitions pull and log with an execution role other than the task role",
    validateStack: (args, report) => {
        for (const t of taskDefinitions(args)) if (sameRole(t)) report(`${label(t)}: executionRoleArn is the taskRoleArn`, t.urn);
    },
};

// FSBP ECS.5 wants every root file system read-only. The vendor's images write under their install
// directories, so the Fargate platform sets readonlyRootFilesystem false unless
// app.containers.services.<name>.readonlyRootFilesystem says the image allows it. An accepted gap is not
// a failure; it is listed on every run, container by container.
export const ecsReadOnlyRoot: DashboardPolicy = {
    id: "CKV_AWS_336 / ECS.5",
    name: "ckv-aws-336-ecs-5",
    description: "ECS containers' root file systems are read-only (advisory: the vendor images write under their install directories)",
    advisory: true,
    validateStack: (args, report) =>
        eachContainer(args, report, (c, say) => {
            if (!isTrue(c.def.readonlyRootFilesystem)) say("root file system writable (readonlyRootFilesystem is not true)");
        }),
};
