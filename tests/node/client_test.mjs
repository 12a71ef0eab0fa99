// `optscale serve` driven by the official OpenAI Node SDK, as an application
// would use it (only baseURL changes). Run by
// tests/server/node_client_integration_test.cpp, which starts the mock and
// the proxy and passes: PROXY_URL (OpenAI base, .../v1), PROXY_KEY, MOCK_URL
// (the mock's root, started with --hold), SERVE_PID (the proxy, for SIGTERM),
// SERVE_LOG (its stderr), PROBLEM.
// Exits 0 when every check holds; prints each check's name.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

import { readFileSync } from 'node:fs';

const { PROXY_URL, PROXY_KEY, MOCK_URL, SERVE_PID, SERVE_LOG, PROBLEM } = process.env;
const client = new OpenAI({ baseURL: PROXY_URL, apiKey: PROXY_KEY, maxRetries: 0 });
const messages = [{ role: 'user', content: PROBLEM }];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function metricsText(url, key) {
  const response = await fetch(url, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  return response.text();
}
const proxyMetrics = () => metricsText(PROXY_URL.replace(/\/v1$/, '') + '/metrics', PROXY_KEY);
async function mockMetric(name) {
  const match = (await metricsText(MOCK_URL + '/metrics')).match(new RegExp(`^${name} (\\d+)$`, 'm'));
  return Number(match[1]);
}
const mockRequests = () => mockMetric('optscale_mock_requests_total');
// The mock's hold (--hold): POST /mock/hold holds generations from now on,
// POST /mock/release lets them go ({count: N}: N of them, holding goes on).
async function mockControl(path, body) {
  const response = await fetch(MOCK_URL + path, { method: 'POST', body: body ? JSON.stringify(body) : '' });
  const text = await response.text();
  assert.equal(response.status, 200, `${path}: ${text}`);
  return JSON.parse(text);
}
// Waits (no time assertion: a generous bound) until a condition holds.
async function waitUntil(what, condition) {
  for (let i = 0; i < 1500; i++) {
    if (await condition()) return;
    await sleep(20);
  }
  assert.fail(`never: ${what}`);
}
// Waits (no time assertion: a generous bound) for a metric line.
async function waitForMetric(line) {
  for (let i = 0; i < 1500; i++) {
    if ((await proxyMetrics()).split('\n').includes(line)) return;
    await sleep(20);
  }
  assert.fail(`the proxy never reported "${line}":\n${await proxyMetrics()}`);
}

async function check(name, body) {
  await body();
  console.log(`ok - ${name}`);
}

// The mock starts holding (--hold); the checks below hold only where they say so.
await mockControl('/mock/release');

let answer;
await check('chat completion: Best-of-N answer, optscale report, x-request-id', async () => {
  const { data, request_id } = await client.chat.completions
    .create({ model: 'mock', messages, seed: 0, optscale: { policy: 'bon:n=2' } })
    .withResponse();
  answer = data.choices[0].message.content;
  assert.ok(answer.length > 0);
  assert.equal(data.optscale.samples, 2);
  assert.equal(data.optscale.scores.length, 2);
  assert.match(request_id, /^req_[0-9a-f]{24}$/);
});

await check('streaming: the same answer in chunks, usage last', async () => {
  const stream = await client.chat.completions.create({
    model: 'mock', messages, seed: 0, optscale: { policy: 'bon:n=2' },
    stream: true, stream_options: { include_usage: true },
  });
  let text = '', finish = null, usage = null;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
  }
  assert.equal(text, answer);
  assert.equal(finish, 'stop');
  assert.ok(usage.completion_tokens > 0);
});

await check('optscale: null is unset', async () => {
  const data = await client.chat.completions.create({ model: 'mock', messages, seed: 0, optscale: null });
  assert.ok(data.optscale.samples >= 1);
});

await check('a bad override: 400 naming the nested field', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'mock', messages, optscale: { policy: 'bon:n=2', target: 0.9 } }),
    (error) => error instanceof OpenAI.BadRequestError && error.param === 'optscale.target',
  );
});

await check('unknown model: NotFoundError, model_not_found', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages, optscale: { policy: 'bon:n=2' } }),
    (error) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found' &&
      !JSON.stringify(error.error).includes('127.0.0.1'),
  );
});

await check('SDK timeout and AbortController: client_closed, upstream work stops, slot freed', async () => {
  const slow = { model: 'mock', messages, seed: 0, optscale: { policy: 'bon:n=16' } };
  // Its generations are held upstream: no answer can come in time. The
  // timeout only has to let the proxy take the request first.
  await mockControl('/mock/hold');
  const impatient = new OpenAI({ baseURL: PROXY_URL, apiKey: PROXY_KEY, maxRetries: 0, timeout: 500 });
  await assert.rejects(impatient.chat.completions.create(slow), OpenAI.APIConnectionTimeoutError);
  await waitForMetric('optscale_requests_total{outcome="client_closed"} 1');
  await waitForMetric('optscale_requests_in_flight 0');
  // Aborted once its first generation is held upstream.
  const heldBefore = await mockMetric('optscale_mock_held_total');
  const controller = new AbortController();
  const aborted = assert.rejects(client.chat.completions.create(slow, { signal: controller.signal }),
    OpenAI.APIUserAbortError);
  await waitUntil('the aborted request reaches the mock',
    async () => (await mockMetric('optscale_mock_held_total')) > heldBefore);
  controller.abort();
  await aborted;
  await waitForMetric('optscale_requests_total{outcome="client_closed"} 2');
  await waitForMetric('optscale_requests_in_flight 0');
  // The held generations are let go, holding going on: a proxy still working
  // for either request would get their answers at once and send scorings and
  // further generations within milliseconds (the mock adds no latency), so
  // 300 ms is many upstream round trips.
  const before = await mockRequests();
  const heldTotal = await mockMetric('optscale_mock_held_total');
  const held = await mockMetric('optscale_mock_held');
  assert.ok(held >= 1);
  assert.equal((await mockControl('/mock/release', { count: held })).released, held);
  await sleep(300);
  assert.equal(await mockRequests(), before, 'the mock still gets requests for abandoned answers');
  assert.equal(await mockMetric('optscale_mock_held_total'), heldTotal, 'a generation was sent for an abandoned answer');
  assert.ok((await proxyMetrics()).includes('optscale_requests_total{outcome="answered"} 3\n'),
    'abandoned requests are not counted as answered');
  await mockControl('/mock/release');  // and hold no more
  // --max-concurrent 1: the slot is free again.
  const data = await client.chat.completions.create({ model: 'mock', messages, seed: 0, optscale: { budget: 1 } });
  assert.equal(data.optscale.samples, 1);
});

await check('pass-through: /v1/completions (also streamed), /v1/embeddings, /v1/models/{id}', async () => {
  const completion = await client.completions.create({ model: 'mock', prompt: PROBLEM, seed: 0 });
  assert.ok(completion.choices[0].text.length > 0);
  let streamed = '';
  for await (const chunk of await client.completions.create({ model: 'mock', prompt: PROBLEM, seed: 0, stream: true }))
    streamed += chunk.choices[0]?.text ?? '';
  assert.equal(streamed, completion.choices[0].text);
  const embedding = await client.embeddings.create({ model: 'mock', input: 'hello' });
  assert.equal(embedding.data[0].embedding.length, 64);
  const model = await client.models.retrieve('mock');
  assert.equal(model.id, 'mock');
  await assert.rejects(client.models.retrieve('nope'), OpenAI.NotFoundError);
});

await check('a stream in flight during SIGTERM arrives whole', async () => {
  const stream = await client.chat.completions.create({
    model: 'mock', messages, seed: 0, optscale: { policy: 'bon:n=2' }, stream: true,
  });
  // create() resolves once the headers came, i.e. the answer is decided:
  // start a second one, held upstream, and stop the server while it waits.
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  assert.equal(text, answer);
  await mockControl('/mock/hold');
  const pending = client.chat.completions.create({
    model: 'mock', messages, seed: 0, optscale: { policy: 'bon:n=2' }, stream: true,
  });
  await waitForMetric('optscale_requests_in_flight 1');
  await waitUntil('the pending stream reaches the mock', async () => (await mockMetric('optscale_mock_held')) >= 1);
  process.kill(Number(SERVE_PID), 'SIGTERM');
  // Let go only once the proxy is draining (its log says so).
  await waitUntil('the proxy logs that it is draining', async () => readFileSync(SERVE_LOG, 'utf8').includes('; draining: '));
  assert.ok((await mockControl('/mock/release')).released >= 1);
  let after = '', finish = null;
  for await (const chunk of await pending) {
    after += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(after, answer);
  assert.equal(finish, 'stop');
});

console.log('all checks passed');
