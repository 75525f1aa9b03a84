/**
 * The URNs a program run registers, as the Pulumi engine would compute them, and every URN each
 * resource answers to through its aliases. The mock monitor builds a child's URN from its parent's
 * last type only; the engine uses the whole chain of parent types (`a:b:A$c:d:B$aws:…`), so the URNs
 * are computed here from the recorded (type, name, parent) and the alias specs the SDK sent.
 *
 * A moved resource keeps its deployed URN when that URN is among its candidates: its own URN, or one
 * built from one of its aliases (name, type, parent, or a full URN), under its parent's own URN or
 * any URN its parent answers to (children inherit their parent's aliases, as in the engine).
 */
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/** One alias as the SDK sends it to the engine. */
interface AliasSpec {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly parentUrn?: string;
    readonly noParent?: boolean;
}

interface Registration {
    readonly mockUrn: string;
    readonly type: string;
    readonly name: string;
    readonly parentMockUrn: string;
    readonly aliases: readonly AliasSpec[];
}

interface AliasProto {
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}

let recorded: Registration[] = [];

const register = MockMonitor.prototype.registerResource;
MockMonitor.prototype.registerResource = function (this: MockMonitor, req: any, callback: (err: any, response: any) => void) {
    const parent: string = req.getParent();
    const type: string = req.getType();
    const name: string = req.getName();
    const aliases = (req.getAliasesList() as AliasProto[]).map((a): AliasSpec => {
        if (a.getUrn() !== "") return { urn: a.getUrn() };
        const s = a.getSpec();
        if (s === undefined) return {};
        return { name: s.getName() || undefined, type: s.getType() || undefined, parentUrn: s.getParenturn() || undefined, noParent: s.getNoparent() };
    });
    recorded.push({ mockUrn: (this as any).newUrn(parent, type, name), type, name, parentMockUrn: parent, aliases });
    return register.call(this, req, callback);
};

/** Forgets what earlier runs registered; call before a run. */
export function resetUrnRecording(): void {
    recorded = [];
}

/** The URN of `type::name` under a parent with URN `parentUrn` (none: a top-level resource). */
export function childUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    if (parentUrn === undefined || parentUrn.endsWith("::pulumi:pulumi:Stack::" + parentUrn.split("::").pop())) {
        return `urn:pulumi:${stack}::${project}::${type}::${name}`;
    }
    return `${parentUrn.substring(0, parentUrn.lastIndexOf("::"))}$${type}::${name}`;
}

/** Each recorded resource's engine URN and the URNs it answers to (its own included). */
export function urnCandidates(stack: string, project: string): Map<string, Set<string>> {
    const byMockUrn = new Map(recorded.map((r) => [r.mockUrn, r]));
    const memo = new Map<string, { urn: string; all: Set<string> }>();
    const resolve = (r: Registration): { urn: string; all: Set<string> } => {
        const known = memo.get(r.mockUrn);
        if (known !== undefined) return known;
        const parent = r.parentMockUrn === "" ? undefined : byMockUrn.get(r.parentMockUrn);
        const parentOwn = parent === undefined ? undefined : resolve(parent);
        const under = (parents: Iterable<string | undefined>, type: string, name: string) => [...parents].map((p) => childUrn(stack, project, p, type, name));
        const inherited: Array<string | undefined> = parentOwn === undefined ? [undefined] : [...parentOwn.all];
        const urn = childUrn(stack, project, parentOwn?.urn, r.type, r.name);
        const all = new Set<string>([urn, ...under(inherited, r.type, r.name)]);
        for (const a of r.aliases) {
            if (a.urn !== undefined) {
                all.add(a.urn);
                continue;
            }
            const type = a.type ?? r.type;
            const name = a.name ?? r.name;
            if (a.noParent === true) all.add(childUrn(stack, project, undefined, type, name));
            else if (a.parentUrn !== undefined) {
                const p = byMockUrn.get(a.parentUrn);
                for (const u of under(p === undefined ? [a.parentUrn] : resolve(p).all, type, name)) all.add(u);
            } else for (const u of under(inherited, type, name)) all.add(u);
        }
        const result = { urn, all };
        memo.set(r.mockUrn, result);
        return result;
    };
    return new Map(recorded.map((r) => [resolve(r).urn, resolve(r).all]));
}
