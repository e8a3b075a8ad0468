/**
 * `npm run prices -- --refresh` against a fake Price List client: the queries it sends, how it reads
 * the product documents, what it writes, and that a failure leaves the table unchanged.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../tools/plan/cost/prices-cli";
import { readPriceTable } from "../../tools/plan/cost/prices";
import { GetProductsInput, PriceListClient, onDemandUsd, refreshTable } from "../../tools/plan/cost/refresh";
import { tempDir } from "./helpers";

/** A Price List product document as GetProducts returns it (a JSON string). */
function doc(usagetype: string, tiers: Array<[string, string]>): string {
    const dims = Object.fromEntries(tiers.map(([begin, usd], i) => [`SKU.T.R${i}`, { unit: "Hrs", beginRange: begin, pricePerUnit: { USD: usd } }]));
    return JSON.stringify({ product: { attributes: { usagetype } }, terms: { OnDemand: { "SKU.T": { priceDimensions: dims } } } });
}

/** Answers by service code, region and usage type; records every request. */
function fakeClient(): PriceListClient & { calls: GetProductsInput[] } {
    const calls: GetProductsInput[] = [];
    return {
        calls,
        async getProducts(input) {
            calls.push(input);
            const region = input.Filters.find((f) => f.Field === "regionCode")!.Value;
            const prefix = region === "ap-northeast-2" ? "APN2-" : "USE1-";
            switch (input.ServiceCode) {
                case "AmazonEC2": {
                    const type = input.Filters.find((f) => f.Field === "instanceType")?.Value;
                    if (type === "m6i.large") return { PriceList: [doc(`${prefix}BoxUsage:m6i.large`, [["0", region === "ap-northeast-2" ? "0.1180000000" : "0.0960000000"]])] };
                    if (input.Filters.some((f) => f.Value === "NAT Gateway")) {
                        // two pages: the hourly product first, then the per-GB one
                        if (!input.NextToken) return { PriceList: [doc(`${prefix}NatGateway-Hours`, [["0", "0.0590000000"]])], NextToken: "p2" };
                        return { PriceList: [doc(`${prefix}NatGateway-Bytes`, [["0", "0.0590000000"]])] };
                    }
                    return { PriceList: [] };
                }
                case "AmazonEKS":
                    return { PriceList: [doc("USE1-AmazonEKS-Hours:perCluster", [["0", "0.1000000000"]]), doc("USE1-AmazonEKS-Hours:extendedSupport", [["0", "0.6000000000"]])] };
                case "AWSQueueService":
                    // a free first tier, then the paid one (per request)
                    return { PriceList: [doc(`${prefix}Requests-Tier1`, [["0", "0.0000000000"], ["1000000", "0.0000004000"]])] };
                default:
                    return { PriceList: [] };
            }
        },
    };
}

describe("prices: refresh from the AWS Price List API (fake client)", () => {
    it("reads the on-demand USD price, skipping a free tier", () => {
        assert.strictEqual(onDemandUsd(JSON.parse(doc("x", [["0", "0"], ["100", "0.25"]]))), 0.25);
        assert.strictEqual(onDemandUsd(JSON.parse(doc("x", [["0", "0"]]))), undefined);
    });

    it("queries each item per region (global ones once), follows NextToken, scales units, and leaves the rest absent", async () => {
        const client = fakeClient();
        const { table, notFound } = await refreshTable(client, ["us-east-1", "ap-northeast-2"], ["m6i.large"], "2026-12-01");
        const price = (item: string, region: string) => table.prices.find((p) => p.item === item && p.region === region);
        assert.strictEqual(price("ec2.m6i.large", "ap-northeast-2")!.usd, 0.118);
        assert.strictEqual(price("ec2.m6i.large", "us-east-1")!.usd, 0.096);
        assert.strictEqual(price("nat.hour", "ap-northeast-2")!.usd, 0.059);
        assert.strictEqual(price("nat.gb", "ap-northeast-2")!.usd, 0.059, "found on the second page");
        assert.strictEqual(price("eks.cluster.extended", "*")!.usd, 0.6);
        assert.strictEqual(price("sqs.requests", "ap-northeast-2")!.usd, 0.4, "per request x 1,000,000");
        assert.strictEqual(price("ebs.gp3", "ap-northeast-2"), undefined);
        assert.ok(notFound.includes("ebs.gp3 in ap-northeast-2"));
        assert.strictEqual(client.calls.filter((c) => c.ServiceCode === "AmazonEKS").length, 2, "two global EKS items, one call each");
        const ec2 = client.calls.find((c) => c.Filters.some((f) => f.Field === "instanceType"))!;
        assert.deepStrictEqual(ec2.Filters.map((f) => `${f.Field}=${f.Value}`).sort(), [
            "capacitystatus=Used", "instanceType=m6i.large", "licenseModel=No License required", "operatingSystem=Linux", "preInstalledSw=NA", "regionCode=us-east-1", "tenancy=Shared",
        ]);
        assert.strictEqual(table.builtFrom, "AWS Price List API");
        for (const p of table.prices) assert.strictEqual(p.read, "2026-12-01");
    });

    it("npm run prices -- --refresh writes the table; a failing API leaves it unchanged (exit 1)", async () => {
        const file = path.join(tempDir("prices"), "prices.json");
        fs.copyFileSync(path.join(__dirname, "..", "..", "facts", "data", "prices.json"), file);
        const before = fs.readFileSync(file, "utf8");
        const err: string[] = [];
        const failing: PriceListClient = { getProducts: async () => { throw new Error("AccessDeniedException"); } };
        assert.strictEqual(await main(["--refresh", "--file", file], { stdout: () => undefined, stderr: (s) => err.push(s) }, () => failing, "2026-12-01"), 1);
        assert.match(err.join(""), /price refresh failed, the table is unchanged: AccessDeniedException/);
        assert.strictEqual(fs.readFileSync(file, "utf8"), before);

        const out: string[] = [];
        assert.strictEqual(await main(["--refresh", "--file", file], { stdout: (s) => out.push(s), stderr: () => undefined }, fakeClient, "2026-12-01"), 0);
        const table = readPriceTable(file);
        assert.strictEqual(table.read, "2026-12-01");
        assert.ok(table.prices.some((p) => p.item === "ec2.m6i.large" && p.region === "ap-northeast-2"));
        assert.match(out.join(""), /wrote \d+ prices/);
    });

    it("--refresh --file into a new file starts from the shipped table; a file that is not a price table is a usage error (exit 2), no stack trace", async () => {
        const fresh = path.join(tempDir("prices-new"), "new.json");
        const io = { out: [] as string[], err: [] as string[] };
        const sink = { stdout: (s: string) => io.out.push(s), stderr: (s: string) => io.err.push(s) };
        assert.strictEqual(await main(["--refresh", "--file", fresh], sink, fakeClient, "2026-12-01"), 0, io.err.join(""));
        assert.ok(readPriceTable(fresh).prices.length > 0);
        const pkg = path.join(__dirname, "..", "..", "package.json");
        for (const argv of [["--file", pkg], ["--refresh", "--file", pkg], ["--file", path.join(tempDir("prices-none"), "none.json")]]) {
            io.err.length = 0;
            assert.strictEqual(await main(argv, sink, fakeClient, "2026-12-01"), 2, argv.join(" "));
            assert.match(io.err.join(""), /^error: --file .*: (no such file|not a price table in the ledger's shape)/);
            assert.doesNotMatch(io.err.join(""), /\n\s+at /);
        }
    });

    it("without --refresh lists what the shipped table has per region", async () => {
        const out: string[] = [];
        assert.strictEqual(await main([], { stdout: (s) => out.push(s), stderr: () => undefined }), 0);
        assert.match(out.join(""), /ap-northeast-2: \d+\/\d+ items; missing: /);
    });
});
