/**
 * What a stack without NAT gateways (`network.natGateways: none`) still needs: the app servers
 * reach AWS only through endpoints, so whatever they fetch from the internet at boot must not be
 * needed. Pure rules over the validated network and app config.
 */
import { ENDPOINTS_REQUIRED_WITHOUT_NAT } from "./profiles";
import type { Problem } from "./problems";
import type { AppConfig, NetworkConfig } from "./types";

/** A private ECR repository: `<account>.dkr.ecr.<region>.amazonaws.com/<name>` (`.com.cn` in China). */
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

/** Interface endpoints a pull from private ECR needs (its layers come through the S3 gateway endpoint, always present). */
export const ECR_ENDPOINTS: readonly string[] = ["ecr.api", "ecr.dkr"];

/** Whether an image reference is in a private ECR repository (public.ecr.aws is on the internet). */
export function isPrivateEcrImage(image: string): boolean {
    return PRIVATE_ECR.test(image);
}

/**
 * Problems of a new network without NAT gateways, given what the app servers run:
 * - the vendor image (AMI mode) installs packages from Ubuntu's mirrors at boot and its
 *   licence manager calls home: it needs NAT;
 * - a container image outside private ECR is pulled over the internet: NAT, or ECR; on Fargate the
 *   repository of every service's image (ghcr.io/pi-cr, or an ECR pull-through cache of it) decides;
 * - every stack needs the interface endpoints of {@link ENDPOINTS_REQUIRED_WITHOUT_NAT}, and a
 *   container from ECR also `ecr.api` and `ecr.dkr`.
 * Empty for an existing network (its egress is not ours) and for any NAT strategy.
 *
 * @param network the validated network config @default required
 * @param app the validated app config @default required
 */
export function withoutNatProblems(network: NetworkConfig, app: Pick<AppConfig, "container" | "platform" | "containers">): Problem[] {
    if (network.mode !== "new" || network.natGateways !== "none") return [];
    const problems: Problem[] = [];
    const image = app.platform === "fargate" ? app.containers?.repository : app.container?.image;
    if (app.platform === "fargate" && image !== undefined && !isPrivateEcrImage(`${image}/`)) {
        problems.push({
            path: "network.natGateways",
            message: `is none, but the Fargate tasks pull their images from ${image} on the internet`,
            fix: `set network.natGateways to "single", or set app.containers.repository to an ECR pull-through cache of it (<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/pi-cr) and add ${ECR_ENDPOINTS.join(", ")} to network.interfaceEndpoints`,
        });
    } else if (image === undefined && app.platform !== "fargate") {
        problems.push({
            path: "network.natGateways",
            message: "is none, but the vendor's image (AMI mode) installs packages from Ubuntu's mirrors at boot and its licence manager needs the internet",
            fix: 'set network.natGateways to "single" (or "onePerAz")',
        });
    } else if (app.platform !== "fargate" && image !== undefined && !isPrivateEcrImage(image)) {
        problems.push({
            path: "network.natGateways",
            message: `is none, but the container image ${image} is pulled from a registry on the internet`,
            fix: `set network.natGateways to "single", or push the image to ECR (<account>.dkr.ecr.<region>.amazonaws.com/…) and add ${ECR_ENDPOINTS.join(", ")} to network.interfaceEndpoints (the s3 gateway endpoint exists)`,
        });
    }
    const fromEcr = image !== undefined && isPrivateEcrImage(app.platform === "fargate" ? `${image}/` : image);
    const required = [...ENDPOINTS_REQUIRED_WITHOUT_NAT, ...(fromEcr ? ECR_ENDPOINTS : [])];
    const missing = required.filter((s) => !network.interfaceEndpoints.includes(s));
    if (missing.length > 0) {
        problems.push({
            path: "network.interfaceEndpoints",
            message: `without NAT gateways the app servers need interface endpoints for ${missing.join(", ")}`,
            fix: `add ${missing.join(", ")} to network.interfaceEndpoints, or set network.natGateways to "single"`,
        });
    }
    return problems;
}
