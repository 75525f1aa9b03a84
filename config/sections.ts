/** The smaller sections: `dashboard:domain`, `sideload`, `alerts` and `statusPage`. */
import type { Checker } from "./checker";
import { COMMON_DEFAULTS, FORBIDDEN_FOLDERS } from "./profiles";
import type { AlertsConfig, DomainConfig, SideloadConfig, StatusPageConfig } from "./types";
import { ABS_PATH, CERT_ARN, EMAIL, FOLDER, FQDN, HOSTED_ZONE_ID } from "./patterns";

export function readDomain(c: Checker, value: unknown): DomainConfig | undefined {
    const d = c.object("domain", value, ["name", "hostedZone", "certificateArn"]);
    if (d === undefined) return undefined;
    if (d.name === undefined) c.report("domain.name", "is required", "set the fully qualified name, e.g. dashboard.acme.example.com");
    if (d.hostedZone === undefined) c.report("domain.hostedZone", "is required", "set the Route 53 zone name or id that holds domain.name");
    const name = c.string("domain.name", d.name, "", FQDN, "use a lower-case fully qualified domain name, e.g. dashboard.acme.example.com");
    const hostedZone = c.string("domain.hostedZone", d.hostedZone, "");
    if (typeof d.hostedZone === "string" && !FQDN.test(hostedZone.replace(/\.$/, "")) && !HOSTED_ZONE_ID.test(hostedZone)) {
        c.report("domain.hostedZone", `"${hostedZone}" is neither a zone name nor a zone id`, "use the zone name (acme.example.com) or its id (Z0123456789ABC)");
    }
    if (FQDN.test(name) && FQDN.test(hostedZone.replace(/\.$/, ""))) {
        const zone = hostedZone.replace(/\.$/, "");
        if (name !== zone && !name.endsWith(`.${zone}`)) {
            c.report("domain.name", `${name} is not inside the hosted zone ${zone}`, "pick a name inside the zone, or the zone that holds the name");
        }
    }
    return {
        name,
        hostedZone,
        certificateArn: c.optionalString("domain.certificateArn", d.certificateArn, CERT_ARN, "use an ACM certificate ARN, or omit it to have one created"),
    };
}

export function readSideload(c: Checker, value: unknown): SideloadConfig {
    const d = COMMON_DEFAULTS.sideload;
    const s = c.object("sideload", value, ["folders", "directories", "mountPath", "linkInto", "uid", "gid", "reservedConcurrency"]) ?? {};
    const folders = c.stringList("sideload.folders", s.folders, d.folders, FOLDER, "use lower-case letters, digits and '-', starting with a letter or digit");
    if (Array.isArray(s.folders) && folders.length === 0) c.report("sideload.folders", "is empty", "list at least one upload folder, e.g. images");
    const dirs = s.directories === undefined ? { ...d.directories } : c.stringMap("sideload.directories", s.directories, FOLDER, "use an upload folder name");
    const directories: Record<string, string> = {};
    const used = new Map<string, string>();
    folders.forEach((folder, i) => {
        const dir = dirs[folder] ?? folder;
        if (!FOLDER.test(dir)) c.report(`sideload.directories.${folder}`, `"${dir}" is not a valid directory name`, "use lower-case letters, digits and '-'");
        if (FORBIDDEN_FOLDERS.includes(folder) || FORBIDDEN_FOLDERS.includes(dir)) {
            c.report(`sideload.folders[${i}]`, `"${folder}" would let the bucket write the app's ${dir} directory`, `remove it: ${FORBIDDEN_FOLDERS.join(", ")} are never writable from the bucket`);
        }
        const other = used.get(dir);
        if (other !== undefined) c.report(`sideload.directories.${folder}`, `maps to "${dir}" like ${other}`, "give each folder its own directory");
        used.set(dir, folder);
        directories[folder] = dir;
    });
    for (const key of Object.keys(dirs)) {
        if (!folders.includes(key) && s.directories !== undefined) {
            c.report(`sideload.directories.${key}`, `"${key}" is not in sideload.folders`, "map only listed folders");
        }
    }
    const mountPath = c.string("sideload.mountPath", s.mountPath, d.mountPath, ABS_PATH, "use an absolute path such as /var/dashboard/content");
    return {
        folders,
        directories,
        mountPath,
        linkInto: c.optionalString("sideload.linkInto", s.linkInto, ABS_PATH, "use an absolute path such as /var/panintelligence"),
        uid: c.int("sideload.uid", s.uid, d.uid, { min: 1, max: 4294967294 }),
        gid: c.int("sideload.gid", s.gid, d.gid, { min: 1, max: 4294967294 }),
        reservedConcurrency: reservation(c, "sideload.reservedConcurrency", s.reservedConcurrency),
    };
}

export function readAlerts(c: Checker, value: unknown): AlertsConfig | undefined {
    const a = c.object("alerts", value, ["emails"]);
    if (a === undefined) return undefined;
    const emails = c.stringList("alerts.emails", a.emails, [], EMAIL, "use an address like ops@example.com");
    if (emails.length === 0) c.report("alerts.emails", "is empty", "list at least one address, or remove dashboard:alerts");
    return { emails };
}

export function readStatusPage(c: Checker, value: unknown, customer: string): StatusPageConfig {
    const s = c.object("statusPage", value, ["enabled", "checkIntervalMinutes", "title", "reservedConcurrency"]) ?? {};
    return {
        enabled: c.bool("statusPage.enabled", s.enabled, COMMON_DEFAULTS.statusPage.enabled),
        checkIntervalMinutes: c.int("statusPage.checkIntervalMinutes", s.checkIntervalMinutes, COMMON_DEFAULTS.statusPage.checkIntervalMinutes, { min: 1, max: 60 }, " min"),
        title: c.string("statusPage.title", s.title, `${customer} dashboard status`, /^.{1,100}$/, "use 1–100 characters"),
        reservedConcurrency: reservation(c, "statusPage.reservedConcurrency", s.reservedConcurrency),
    };
}

/**
 * An opt-in reserved concurrency: unset or 0 means no reservation (undefined; 0 is never handed to
 * Lambda, which would throttle the function to nothing), else 1–1000. A reservation comes out of the
 * account's concurrency quota, of which 10 must stay unreserved: new accounts may have only 10.
 */
function reservation(c: Checker, path: string, value: unknown): number | undefined {
    const n = c.int(path, value, 0, { min: 0, max: 1000 });
    return n === 0 ? undefined : n;
}
