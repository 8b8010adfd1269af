import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { S3Calls, s3Failure, s3Timeouts } from "../../src/fs/s3-calls.js";

/** An error shaped as the AWS SDK's service exceptions (name, HTTP status in $metadata). */
const sdk = (name: string, status: number, message = name) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe("S3 calls: what a failure means, and what is retried", () => {
  it("reads the cause from the SDK's errors", () => {
    assert.deepEqual([sdk("SlowDown", 503), sdk("InternalError", 500), sdk("ServiceUnavailable", 503), sdk("TooManyRequests", 429)].map((e) => [s3Failure(e).kind, s3Failure(e).retryable]),
      [["throttled", true], ["server", true], ["server", true], ["throttled", true]]);
    assert.deepEqual([sdk("AccessDenied", 403), sdk("UnknownError", 403), sdk("InvalidAccessKeyId", 403), sdk("SignatureDoesNotMatch", 403), sdk("NoSuchBucket", 404)].map((e) => [s3Failure(e).kind, s3Failure(e).retryable]),
      [["accessDenied", false], ["accessDenied", false], ["authentication", false], ["authentication", false], ["notFound", false]]);
    assert.equal(s3Failure(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })).kind, "unreachable");
    assert.equal(s3Failure(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })).kind, "unreachable");
  });

  it("takes Hadoop S3A's option names and durations", () => {
    const t = s3Timeouts((k) => ({ "connection.request.timeout": "2s", "connection.timeout": "200000", "attempts.maximum": "7", "retry.interval": "1m" } as Record<string, string>)[k]);
    assert.deepEqual(t, { connectTimeoutMs: 30_000, socketTimeoutMs: 200_000, requestTimeoutMs: 2000, maxAttempts: 7, retryIntervalMs: 60_000, throttleIntervalMs: 1000 });
    assert.throws(() => s3Timeouts((k) => (k === "attempts.maximum" ? "0" : undefined)), { code: "INVALID_OPTION" });
    assert.throws(() => s3Timeouts((k) => (k === "connection.request.timeout" ? "soon" : undefined)), { code: "INVALID_OPTION" });
  });

  it("retries 5xx and throttling with backoff and counts each attempt; a denial is not retried", async () => {
    const timeouts = { ...s3Timeouts(() => undefined), retryIntervalMs: 1, throttleIntervalMs: 1, maxAttempts: 4 };
    let sent = 0;
    const calls = new S3Calls("http://store", timeouts, () => { sent++; });
    const failures = [sdk("InternalError", 500), sdk("SlowDown", 503)];
    assert.equal(await calls.run("PUT", "s3a://b/k", async () => { const f = failures.shift(); if (f) throw f; return "done"; }), "done");
    assert.equal(sent, 3);
    assert.equal(calls.retries, 2);
    sent = 0;
    const denied = await calls.run("PUT", "s3a://b/k", async () => { throw sdk("AccessDenied", 403); }).then(() => assert.fail("resolved"), (e: { code: string; params: Record<string, unknown> }) => e);
    assert.equal(denied.code, "S3_ACCESS_DENIED");
    const { elapsedMs: _t, ...params } = denied.params;
    assert.deepEqual(params, { endpoint: "http://store", operation: "PUT", path: "s3a://b/k", reason: "access denied: AccessDenied", attempts: 1, retryable: false });
    assert.equal(sent, 1);
    await assert.rejects(calls.run("GET", "s3a://b/k", async () => { throw sdk("InternalError", 500); }), (e: { code: string; params: Record<string, unknown> }) => e.code === "IO_ERROR" && e.params["attempts"] === 4 && e.params["retryable"] === true);
    await assert.rejects(calls.run("GET", "s3a://b/k", () => new Promise(() => undefined), { attemptMs: 20 }), (e: { code: string; params: Record<string, unknown> }) => e.code === "S3_TIMEOUT" && e.params["attempts"] === 4);
  });
});
