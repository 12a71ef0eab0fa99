// optscale serve from Node/TypeScript with the official OpenAI SDK
// (`npm install openai`): only baseURL changes. Overrides go in the body as
// `optscale`, the report comes back as `completion.optscale`. Run against a
// proxy on 127.0.0.1:8080 with: node examples/serve-client.mjs
import OpenAI from 'openai';
import { readFileSync } from 'node:fs';

const client = new OpenAI({
  baseURL: 'http://127.0.0.1:8080/v1',
  apiKey: process.env.OPTSCALE_API_KEY ?? readFileSync('.optscale-key', 'utf8').trim(),
  timeout: 600_000,  // Best-of-N takes several generations; on timeout or abort the proxy cancels the work
});
const messages = [{ role: 'user', content: 'What is the sum of the first 10 primes?' }];

const completion = await client.chat.completions.create({
  model: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',
  messages,
  optscale: { confidence: 0.99 },  // TypeScript: add `// @ts-expect-error` above this line
});
console.log(completion.choices[0].message.content);
console.log(completion.usage.completion_tokens, completion.optscale.samples, completion._request_id);

// Streaming (the answer streams once the policy has decided):
const stream = await client.chat.completions.create({ model: 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B', messages, stream: true });
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');
