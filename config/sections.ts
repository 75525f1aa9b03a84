/** The smaller sections: `dashboard:domain`, `ingress`, `sideload`, `alerts`, `monitoring` and `statusPage`. */
import { z } from "zod";
import { across, bool, cidr, int, list, section, str, stringMap, say } from "./kit";
import { COMMON_DEFAULTS, FORBIDDEN_FOLDERS, type Profile } from "./profiles";
import { ABS_PATH, CERT_ARN, EMAIL, FOLDER, FQDN, HOSTED_ZONE_ID } from "./patterns";

const domainShape = {
    name: str(FQDN, "use a lower-case fully qualified domain name, e.g. dashboard.acme.example.com", "set the fully qualified name, e.g. dashboard.acme.example.com").meta({ description: "Fully qualified name the dashboard is served on." }),
    hostedZone: str(undefined, undefined, "set the Route 53 zone name or id that holds domain.name").meta({ description: "Route 53 hosted zone (name or id) that holds the name." }),
    certificateArn: str(CERT_ARN, "use an ACM certificate ARN, or omit it to have one created").optional().meta({ description: "An existing ACM certificate. Default: one is created and validated by DNS" }),
};

const zoneRules = across<z.output<ReturnType<typeof section<typeof domainShape>>>>(["name", "hostedZone"], (d, report) => {
    const zone = d.hostedZone.replace(/\.$/, "");
    if (!FQDN.test(zone) && !HOSTED_ZONE_ID.test(d.hostedZone)) {
        report(["hostedZone"], `"${d.hostedZone}" is neither a zone name nor a zone id`, "use the zone name (acme.example.com) or its id (Z0123456789ABC)");
    } else if (FQDN.test(zone) && d.name !== zone && !d.name.endsWith(`.${zone}`)) {
        report(["name"], `${d.name} is not inside the hosted zone ${zone}`, "pick a name inside the zone, or the zone that holds the name");
    }
});

/** `dashboard:domain`: the name, its zone and an optional certificate. */
export const domainSchema = section(domainShape)
    .check(zoneRules)
    .transform((d) => ({ ...d, certificateArn: d.certificateArn }));

/** `dashboard:ingress`: who may reach the load balancer. */
export const ingressSchema = section({
    allowedCidrs: list(cidr())
        .refine((l) => l.length > 0, { error: say("is empty, so nobody could reach the load balancer", "list at least one CIDR block") })
        .default([...COMMON_DEFAULTS.ingress.allowedCidrs])
        .meta({ description: "Who may reach the load balancer on 80/443. Default: [0.0.0.0/0]" }),
});

const folderFix = "use lower-case letters, digits and '-', starting with a letter or digit";
const sideloadShape = {
    folders: list(str(FOLDER, folderFix))
        .refine((l) => l.length > 0, { error: say("is empty", "list at least one upload folder, e.g. images") })
        .default([...COMMON_DEFAULTS.sideload.folders])
        .meta({ description: `Upload prefixes in the bucket; ${FORBIDDEN_FOLDERS.join(", ")} are refused. Default: [images, themes, excel-data]` }),
    directories: stringMap(FOLDER, "use an upload folder name").optional().meta({ description: "Upload prefix → directory on the file system. Default: { excel-data: excel }" }),
    mountPath: str(ABS_PATH, "use an absolute path such as /var/dashboard/content").default(COMMON_DEFAULTS.sideload.mountPath).meta({ description: "Where the app servers mount the file system. Default: /var/dashboard/content" }),
    linkInto: str(ABS_PATH, "use an absolute path such as /var/panintelligence").optional().meta({ description: "Link each content directory into this directory on the app servers. Default: none" }),
    uid: int({ min: 1, max: 4294967294 }).default(COMMON_DEFAULTS.sideload.uid).meta({ description: "POSIX owner of the content (non-root). Default: 1000" }),
    gid: int({ min: 1, max: 4294967294 }).default(COMMON_DEFAULTS.sideload.gid).meta({ description: "POSIX group of the content (non-root). Default: 1000" }),
    reservedConcurrency: reservation().meta({ description: "Reserved concurrent executions of the sideload function, 1–1000; 0 or unset: no reservation. Default: none" }),
};
type SideloadInput = z.output<ReturnType<typeof section<typeof sideloadShape>>>;

const directoriesOf = (s: SideloadInput) => s.directories ?? { ...COMMON_DEFAULTS.sideload.directories };

/** Each folder lands in a directory of its own, never one of the app's own. */
const directoryRules = across<SideloadInput>(["folders", "directories"], (s, report) => {
    const folders = s.folders;
    const dirs = directoriesOf(s);
    const used = new Map<string, string>();
    folders.forEach((folder, i) => {
        const dir = dirs[folder] ?? folder;
        if (!FOLDER.test(dir)) report(["directories", folder], `"${dir}" is not a valid directory name`, "use lower-case letters, digits and '-'");
        if (FORBIDDEN_FOLDERS.includes(folder) || FORBIDDEN_FOLDERS.includes(dir)) {
            report(["folders", i], `"${folder}" would let the bucket write the app's ${dir} directory`, `remove it: ${FORBIDDEN_FOLDERS.join(", ")} are never writable from the bucket`);
        }
        const other = used.get(dir);
        if (other !== undefined) report(["directories", folder], `maps to "${dir}" like ${other}`, "give each folder its own directory");
        used.set(dir, folder);
    });
    for (const key of Object.keys(s.directories ?? {})) {
        if (!folders.includes(key)) report(["directories", key], `"${key}" is not in sideload.folders`, "map only listed folders");
    }
});

/** `dashboard:sideload`: the upload folders and where they land on the file system. */
export const sideloadSchema = section(sideloadShape)
    .check(directoryRules)
    .transform((s) => {
        const dirs = directoriesOf(s);
        return {
            ...s,
            /** Upload prefix → directory name on the file system (excel-data → excel). */
            directories: Object.fromEntries(s.folders.map((f) => [f, dirs[f] ?? f])) as Record<string, string>,
            linkInto: s.linkInto,
            reservedConcurrency: s.reservedConcurrency,
        };
    });

/**
 * `dashboard:monitoring`: what is watched beyond the alarms (which are always there).
 * @param profile the environment profile whose defaults apply @default required
 */
export function monitoringSchema(profile: Profile) {
    return section({
        dashboard: bool().default(profile.cloudwatchDashboard).meta({ description: "The stack's CloudWatch dashboard ($3.00 a month beyond the account's first three). Default: false (development) / true (staging, production)" }),
    });
}

/** `dashboard:alerts`: who gets the alarms. */
export const alertsSchema = section({
    emails: list(str(EMAIL, "use an address like ops@example.com")).optional().meta({ description: "Alarm recipients; each confirms AWS's e-mail once." }),
})
    .check(
        across<{ emails?: string[] }>(["emails"], (a, report) => {
            if ((a.emails ?? []).length === 0) report(["emails"], "is empty", "list at least one address, or remove dashboard:alerts");
        }),
    )
    .transform((a) => ({ emails: a.emails ?? [] }));

/** `dashboard:statusPage`: the public status page; its title defaults to the customer's (set by the stack schema). */
export const statusPageSchema = section({
    enabled: bool().default(COMMON_DEFAULTS.statusPage.enabled).meta({ description: "Deploy the public status page (needs NAT). Default: false" }),
    checkIntervalMinutes: int({ min: 1, max: 60 }, " min").default(COMMON_DEFAULTS.statusPage.checkIntervalMinutes).meta({ description: "Minutes between checks. Default: 1" }),
    title: str(/^.{1,100}$/, "use 1–100 characters").optional().meta({ description: "Page title, 1–100 characters. Default: <customer> dashboard status" }),
    reservedConcurrency: reservation().meta({ description: "Reserved concurrent executions of the page function, 1–1000; 0 or unset: no reservation. Default: none" }),
}).transform((s) => ({ ...s, title: s.title, reservedConcurrency: s.reservedConcurrency }));

/**
 * An opt-in reserved concurrency: unset or 0 means no reservation (undefined; 0 is never handed to
 * Lambda, which would throttle the function to nothing), else 1–1000. A reservation comes out of the
 * account's concurrency quota, of which 10 must stay unreserved: new accounts may have only 10.
 */
function reservation() {
    return int({ min: 0, max: 1000 })
        .optional()
        .transform((n) => (n === 0 ? undefined : n));
}
