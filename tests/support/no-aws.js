// Loaded by .mocharc.json before any test: no test may reach AWS, whatever credentials the machine has.
// A real AWS SDK v3 client that a test forgets to replace with a fake is pointed at a closed local port
// (AWS_ENDPOINT_URL, the SDK's configurable-endpoints setting) with throwaway keys, so it fails at once
// instead of calling an account; the instance-metadata lookup for credentials is off too.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
for (const key of Object.keys(process.env)) {
    if (/^AWS_/.test(key)) delete process.env[key];
}
process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9";
process.env.AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
process.env.AWS_SECRET_ACCESS_KEY = "test-only-not-a-secret";
process.env.AWS_EC2_METADATA_DISABLED = "true";
