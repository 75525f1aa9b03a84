/**
 * Pure parts of the NAT instance (components/network/natInstance.ts): where each one goes, its boot
 * script, its role's policy and its alarms. Table-tested in tests/components/network/natInstance.test.ts.
 */

/** The image: the latest Amazon Linux 2023 (standard, arm64), resolved by EC2 at every launch. */
export const NAT_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/** Root volume of a NAT instance, GB (the AL2023 image's snapshot size). */
export const NAT_VOLUME_GB = 8;

/** The tag every NAT instance's own (primary) network interface carries: the fixed interface's id. */
export const NAT_ENI_TAG = "dashboard:nat-eni";

/** One NAT instance: the zone (index into the public subnets) it runs in, and the private route tables it serves. */
export interface NatPlacement {
    readonly zone: number;
    readonly routeTables: readonly number[];
}

/**
 * Where the NAT instances go: one in the first zone serving every private route table, or one per
 * zone serving its own zone's.
 * @param zones number of zones (private route tables, one per zone) @default required
 * @param perZone one NAT instance per zone @default false
 */
export function natPlacements(zones: number, perZone = false): NatPlacement[] {
    const all = Array.from({ length: zones }, (_, i) => i);
    return perZone ? all.map((z) => ({ zone: z, routeTables: [z] })) : [{ zone: 0, routeTables: all }];
}

/** What the boot script needs. */
export interface NatUserDataArgs {
    /** The fixed network interface the private route tables point at. @default required */
    readonly eniId: string;
    /** The Elastic IP allocation moved onto the instance's primary interface. @default required */
    readonly allocationId: string;
    /** The VPC CIDR: only traffic from it is masqueraded. @default required */
    readonly vpcCidr: string;
}

/**
 * The NAT instance's boot script (bash, Amazon Linux 2023). It:
 * 1. turns IPv4 forwarding on and reverse-path filtering to loose (traffic from the private subnets
 *    arrives on the fixed interface and leaves by the primary one), for now and after a reboot;
 * 2. reads its instance id, region and primary interface from IMDSv2;
 * 3. turns the source/destination check off on its primary interface (the fixed one has it off);
 * 4. attaches the fixed interface as device 1, retrying while the replaced instance still holds it;
 * 5. moves the stack's Elastic IP onto its primary interface (which releases the launch-time public
 *    address: one public IPv4 address per NAT instance, the same one across replacements);
 * 6. masquerades the VPC's traffic with nftables (`nft`; AL2023 does not install iptables), loading
 *    the rules from /etc/sysconfig/nftables.conf through the nftables service so a reboot keeps them.
 * Any failure stops the instance a minute later, so the group's EC2 health check replaces it.
 * @param args the fixed interface, the address and the VPC CIDR @default required
 */
export function renderNatUserData(args: NatUserDataArgs): string {
    return `#!/bin/bash
# NAT instance boot script (components/network/natInstancePlan.ts)
set -euo pipefail
# A NAT that could not set itself up stops: its group sees an unhealthy instance and replaces it.
trap 'echo "NAT boot failed at line $LINENO" >&2; shutdown -h +1' ERR
ENI_ID='${args.eniId}'
ALLOCATION_ID='${args.allocationId}'
VPC_CIDR='${args.vpcCidr}'

cat > /etc/sysctl.d/90-nat.conf <<'SYSCTL'
net.ipv4.ip_forward = 1
net.ipv4.conf.all.rp_filter = 2
net.ipv4.conf.default.rp_filter = 2
SYSCTL
sysctl --system >/dev/null

imds() {
    local token
    token=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)
    curl -sf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
INSTANCE_ID=$(imds instance-id)
export AWS_DEFAULT_REGION
AWS_DEFAULT_REGION=$(imds placement/region)
MAC=$(imds mac)
PRIMARY_ENI=$(imds "network/interfaces/macs/$MAC/interface-id")

aws ec2 modify-network-interface-attribute --network-interface-id "$PRIMARY_ENI" --no-source-dest-check

# The replaced instance may still hold the fixed interface for a minute or two.
for attempt in $(seq 1 60); do
    if aws ec2 attach-network-interface --network-interface-id "$ENI_ID" --instance-id "$INSTANCE_ID" --device-index 1 >/dev/null; then
        break
    fi
    [ "$attempt" -eq 60 ] && { echo "could not attach $ENI_ID" >&2; false; }
    sleep 5
done

aws ec2 associate-address --allocation-id "$ALLOCATION_ID" --network-interface-id "$PRIMARY_ENI" --allow-reassociation >/dev/null

command -v nft >/dev/null || dnf install -y nftables
OUT_DEV=$(ip -o link show | awk -v mac="$MAC" '$0 ~ mac { sub(":", "", $2); print $2; exit }')
cat > /etc/sysconfig/nftables.conf <<NFT
flush ruleset
table ip nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        ip saddr $VPC_CIDR ip daddr != $VPC_CIDR oifname "$OUT_DEV" masquerade
    }
}
NFT
systemctl enable nftables
systemctl restart nftables
echo "NAT ready: $ENI_ID on $INSTANCE_ID, out through $OUT_DEV"
`;
}

/** What the instance role's policy names. */
export interface NatPolicyArgs {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
    /** The fixed interface. @default required */
    readonly eniId: string;
    /** The Elastic IP allocation. @default required */
    readonly allocationId: string;
    /** The NAT instances' instance profile: only its instances may take the interface. @default required */
    readonly instanceProfileArn: string;
}

/**
 * The least the boot script needs: attach this one interface, to an instance of this profile; move
 * this one address; turn the check off on, and take the address onto, only an interface tagged with
 * this NAT's fixed interface (the launch template tags the instance's own).
 * @param a the ARNs' parts and the resources @default required
 */
export function natInstancePolicy(a: NatPolicyArgs): Record<string, unknown> {
    const arn = (resource: string) => `arn:${a.partition}:ec2:${a.region}:${a.accountId}:${resource}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "AttachTheFixedInterface", Effect: "Allow", Action: "ec2:AttachNetworkInterface", Resource: arn(`network-interface/${a.eniId}`) },
            {
                Sid: "ToAnInstanceOfThisProfile",
                Effect: "Allow",
                Action: ["ec2:AttachNetworkInterface", "ec2:AssociateAddress"],
                Resource: arn("instance/*"),
                Condition: { ArnEquals: { "ec2:InstanceProfile": a.instanceProfileArn } },
            },
            { Sid: "MoveTheAddress", Effect: "Allow", Action: "ec2:AssociateAddress", Resource: arn(`elastic-ip/${a.allocationId}`) },
            {
                Sid: "OnItsOwnInterface",
                Effect: "Allow",
                Action: ["ec2:AssociateAddress", "ec2:ModifyNetworkInterfaceAttribute"],
                Resource: arn("network-interface/*"),
                Condition: { StringEquals: { [`aws:ResourceTag/${NAT_ENI_TAG}`]: a.eniId } },
            },
        ],
    };
}

/** One alarm of a NAT instance's group: the provider's MetricAlarm inputs without names. */
export interface NatAlarmSpec {
    readonly role: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly statistic: "Minimum" | "Maximum";
    readonly comparisonOperator: string;
    readonly threshold: number;
    readonly periodSeconds: number;
    readonly evaluationPeriods: number;
    readonly treatMissingData: string;
    readonly description: string;
}

/**
 * The NAT instance's alarms, by its Auto Scaling group: no instance in service (the group heals, the
 * alarm tells how long it took), a failed status check, and a CPU credit balance near empty (a t4g
 * on standard credits is throttled to its baseline).
 * @param burstable whether the type earns CPU credits (t4g) @default required
 */
export function natAlarmSpecs(burstable: boolean): NatAlarmSpec[] {
    const specs: NatAlarmSpec[] = [
        { role: "in-service", namespace: "AWS/AutoScaling", metricName: "GroupInServiceInstances", statistic: "Minimum", comparisonOperator: "LessThanThreshold", threshold: 1, periodSeconds: 60, evaluationPeriods: 5, treatMissingData: "breaching", description: "No NAT instance in service for 5 minutes: the private subnets have no way out" },
        { role: "status-check", namespace: "AWS/EC2", metricName: "StatusCheckFailed", statistic: "Maximum", comparisonOperator: "GreaterThanOrEqualToThreshold", threshold: 1, periodSeconds: 60, evaluationPeriods: 3, treatMissingData: "notBreaching", description: "The NAT instance fails its status checks" },
    ];
    if (burstable) {
        specs.push({ role: "cpu-credits", namespace: "AWS/EC2", metricName: "CPUCreditBalance", statistic: "Minimum", comparisonOperator: "LessThanThreshold", threshold: 10, periodSeconds: 300, evaluationPeriods: 3, treatMissingData: "notBreaching", description: "The NAT instance's CPU credits are nearly spent: it will be held to its baseline" });
    }
    return specs;
}
