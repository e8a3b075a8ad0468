/**
 * What the rollout asks CloudWatch (AWS SDK v3, @aws-sdk/client-cloudwatch), behind a small
 * interface the tests fake: the state of named alarms and of a composite alarm's children.
 *
 * DescribeAlarms returns only metric alarms unless `AlarmTypes` names CompositeAlarm too; it takes
 * at most 100 `AlarmNames` a call and pages with NextToken; `ChildrenOfAlarmName` lists a
 * composite's children (CloudWatch API reference, DescribeAlarms). The identity running the
 * rollout needs cloudwatch:DescribeAlarms (on `*` for composite alarms).
 */
import { CloudWatchClient, CompositeAlarm, DescribeAlarmsCommand, DescribeAlarmsCommandInput, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { AwsCredentialsRef, TemporaryCredentials } from "./account";

export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface AlarmState {
    readonly name: string;
    readonly kind: "composite" | "metric";
    readonly state: AlarmStateValue;
    /** CloudWatch's StateReason. */
    readonly reason: string;
    /** When the alarm last changed state (ISO). */
    readonly since?: string;
}

export interface AlarmApi {
    /** The named alarms of a region that exist (composite and metric). Rejects when CloudWatch cannot be asked. */
    alarms(region: string, names: readonly string[]): Promise<AlarmState[]>;
    /** The children of a composite alarm. Rejects when CloudWatch cannot be asked. */
    children(region: string, composite: string): Promise<AlarmState[]>;
}

export type CloudWatchSend = Pick<CloudWatchClient, "send">;

function toState(a: MetricAlarm | CompositeAlarm, kind: AlarmState["kind"]): AlarmState {
    return {
        name: a.AlarmName ?? "",
        kind,
        state: (a.StateValue ?? "INSUFFICIENT_DATA") as AlarmStateValue,
        reason: a.StateReason ?? "",
        since: a.StateUpdatedTimestamp?.toISOString(),
    };
}

async function describeAll(client: CloudWatchSend, input: DescribeAlarmsCommandInput): Promise<AlarmState[]> {
    const out: AlarmState[] = [];
    let token: string | undefined;
    do {
        const page = await client.send(new DescribeAlarmsCommand({ ...input, AlarmTypes: ["CompositeAlarm", "MetricAlarm"], NextToken: token }));
        out.push(...(page.CompositeAlarms ?? []).map((a) => toState(a, "composite")), ...(page.MetricAlarms ?? []).map((a) => toState(a, "metric")));
        token = page.NextToken;
    } while (token);
    return out;
}

/**
 * The real thing: one SDK client per region (default retries), with the account guard's assumed role's
 * credentials once it has one (`credentials`), else the default chain.
 */
export function awsAlarmApi(
    clientFor: (region: string, credentials?: () => Promise<TemporaryCredentials>) => CloudWatchSend =
        (region, credentials) => new CloudWatchClient({ region, ...(credentials ? { credentials } : {}) }),
    credentials?: AwsCredentialsRef,
): AlarmApi {
    const clients = new Map<string, CloudWatchSend>();
    const client = (region: string) => {
        const provider = credentials?.provider;
        const key = `${region}|${provider ? "role" : "ambient"}`;
        if (!clients.has(key)) clients.set(key, clientFor(region, provider));
        return clients.get(key)!;
    };
    return {
        async alarms(region, names) {
            const out: AlarmState[] = [];
            for (let i = 0; i < names.length; i += 100) out.push(...await describeAll(client(region), { AlarmNames: names.slice(i, i + 100) }));
            return out;
        },
        children: (region, composite) => describeAll(client(region), { ChildrenOfAlarmName: composite }),
    };
}
