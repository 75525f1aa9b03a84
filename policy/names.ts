/**
 * No fixed physical names: two stacks in one account and region never collide. The pack checks each
 * name of one stack (set from another resource, Pulumi's auto-name, or carrying the stack name); the
 * offline plan also compares the names of the same config planned under a second stack name.
 */
import type { PolicyResource } from "@pulumi/policy";
import { known, label, type DashboardPolicy, type StackFacts } from "./rule";

/** Properties that are physical names of the resource itself (not e.g. a DNS name the user chose). */
const PHYSICAL_NAME_FIELDS = ["name", "bucket", "identifier", "finalSnapshotIdentifier", "functionName", "dashboardName", "alarmName", "roleName", "dbSubnetGroupName"];
// A DNS name the user chose, names scoped to their parent (an API stage), and names of something else
// (an SSM association's `name` is the document it runs), are not account-wide physical names.
const NOT_PHYSICAL_NAME_TYPES = new Set(["aws:route53/record:Record", "aws:acm/certificate:Certificate", "aws:apigatewayv2/stage:Stage", "aws:ssm/association:Association"]);
/** Packages whose types are components (their properties are outputs, not names of cloud resources). */
const COMPONENT_PACKAGES = new Set(["pulumi", "dashboard", "awsx"]);

interface PhysicalName {
    readonly resource: PolicyResource;
    readonly field: string;
    readonly value: string;
}

/**
 * The physical names a stack's resources carry (values not known yet are left out).
 *
 * @param resources The stack's resources. @default required
 */
function physicalNames(resources: readonly PolicyResource[]): PhysicalName[] {
    const out: PhysicalName[] = [];
    for (const r of resources) {
        if (COMPONENT_PACKAGES.has(r.type.split(":")[0]) || NOT_PHYSICAL_NAME_TYPES.has(r.type)) continue;
        for (const field of PHYSICAL_NAME_FIELDS) {
            const value: unknown = known(() => r.props[field] as unknown);
            if (typeof value === "string" && value !== "") out.push({ resource: r, field, value });
        }
    }
    return out;
}

/**
 * The stack name in a URN, `urn:pulumi:<stack>::<project>::…`.
 *
 * @param urn A resource's URN. @default required
 */
const stackOf = (urn: string) => urn.split("::")[0].split(":").pop() ?? "";

/**
 * Whether a name is Pulumi's auto-name of the resource: (a prefix of) its logical name, a hyphen and 7 hex digits.
 *
 * @param value The physical name. @default required
 * @param logicalName The resource's name in the program. @default required
 */
function isAutoName(value: string, logicalName: string): boolean {
    const m = /^(.+)-[0-9a-f]{7}$/.exec(value);
    return m !== null && logicalName.toLowerCase().startsWith(m[1].toLowerCase());
}

/**
 * Whether a name is fixed: written in the code or the config rather than computed from another resource
 * (a random suffix, the resource it names), auto-named, or carrying the stack name.
 *
 * @param n A physical name, from `physicalNames`. @default required
 */
function isFixed(n: PhysicalName): boolean {
    if ((n.resource.propertyDependencies[n.field] ?? []).length > 0) return false;
    return !isAutoName(n.value, n.resource.name) && !n.value.includes(stackOf(n.resource.urn));
}

/**
 * DASH.1. Reads the twin stack's resources when the offline plan has them.
 *
 * @param facts The stack's facts; `twin` only in the offline plan. @default required
 */
export const noFixedPhysicalNames = (facts: StackFacts): DashboardPolicy => ({
    id: "DASH.1",
    name: "dash-1",
    description: "No fixed physical name: the same config under two stack names shares none",
    validateStack: (args, report) => {
        const mine = physicalNames(args.resources);
        for (const n of mine.filter(isFixed)) report(`${label(n.resource)}.${n.field} = "${n.value}" is fixed: it names no stack`, n.resource.urn);
        if (facts.twin === undefined) return;
        const theirs = new Set(physicalNames(facts.twin).map((n) => n.value));
        const shared = new Map(mine.filter((n) => theirs.has(n.value)).map((n) => [n.value, n]));
        for (const [v, n] of shared) report(`${label(n.resource)}.${n.field} = "${v}" in both stacks`, n.resource.urn);
    },
});
