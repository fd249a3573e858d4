import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePrimary, type FakePrimary } from '../support/fake-primary.js';

let primary: FakePrimary;
const SD = '{\n  "Deliberate": {\n    "name": "Deliberate"\n  }\n}';
const TEXT = '{\n  "koboldcpp/x": {\n    "name": "koboldcpp/x"\n  }\n}';

beforeAll(async () => {
  primary = await startFakePrimary({
    categories: {
      image_generation: SD,
      text_generation: TEXT,
      blip: '  {}\n', // "legitimately empty" is a 404 upstream
      clip: 'null',
      esrgan: { status: 503, body: '{"detail":"maintenance"}' },
      lora: '{"ignored": {}}',
    },
    faults: { gfpgan: [{ status: 502, body: 'Bad Gateway' }] },
  });
});
afterAll(() => primary.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${primary.url}/model_references/v1/${path}`, { headers });

describe('fake PRIMARY (model reference v1)', () => {
  it('serves bodies byte for byte, with the upstream aliases', async () => {
    expect(primary.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    for (const name of ['image_generation', 'stable_diffusion', 'stable_diffusion.json', 'image_generation.json']) {
      const res = await get(name);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.text()).toBe(SD);
    }
    for (const name of ['text_generation', 'db.json']) expect(await (await get(name)).text()).toBe(TEXT);
    expect(primary.requests.filter((r) => r.category === 'image_generation')).toHaveLength(4);
  });

  it('answers 404 for missing or empty categories, 422 for unknown names, {} for lora/ti', async () => {
    for (const name of ['blip', 'clip', 'codeformer', 'controlnet_annotator']) {
      const res = await get(name);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ detail: `Model category '${name}' not found or is empty` });
    }
    primary.setCategory('text_generation', '');
    expect(await (await get('text_generation')).json()).toEqual({ detail: 'Text generation models not found or empty' });
    expect((await get('db.json')).status).toBe(404);
    primary.setCategory('text_generation', TEXT);

    const bad = await get('not_a_category');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({ detail: "Invalid model category: 'not_a_category'. 'not_a_category' is not a valid MODEL_REFERENCE_CATEGORY" });
    for (const name of ['lora', 'ti', 'lora.json']) {
      const res = await get(name);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{}');
    }
    const fixed = await get('esrgan');
    expect(fixed.status).toBe(503);
    expect(await fixed.text()).toBe('{"detail":"maintenance"}');
    const cats = await (await get('model_categories')).json();
    expect(cats).toEqual(['blip', 'clip', 'image_generation', 'text_generation', 'lora']);
    expect((await fetch(`${primary.origin}/model_references/v1/blip`)).status).toBe(404); // basePath matters
  });

  it('supports strong ETags and Last-Modified, and setCategory changes both', async () => {
    const first = await get('stable_diffusion');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const lastModified = first.headers.get('last-modified');
    expect(lastModified).toBeTruthy();
    const cached = await get('image_generation', { 'if-none-match': etag ?? '' });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe('');
    expect((await get('image_generation', { 'if-modified-since': lastModified ?? '' })).status).toBe(304);

    primary.setCategory('stable_diffusion', '{"B": {"name": "B"}}');
    const changed = await get('image_generation', { 'if-none-match': etag ?? '' });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toBe('{"B": {"name": "B"}}');
    expect(changed.headers.get('etag')).not.toBe(etag);
    primary.setCategory('image_generation', SD);
    expect(primary.requests.filter((r) => r.conditional).map((r) => r.status)).toEqual([304, 304, 200]);
  });

  it('plays a per-category fault queue: 500 then 200, delay, truncation, dropped connections', async () => {
    primary.setCategory('gfpgan', '{"g": {"name": "g"}}');
    expect((await get('gfpgan.json')).status).toBe(502); // queued at start-up
    expect((await get('gfpgan')).status).toBe(200);
    primary.enqueue('controlnet', { status: 500, body: 'Internal Server Error' });
    primary.setCategory('controlnet', '{"c": {"name": "c"}}');
    expect((await get('controlnet')).status).toBe(500);
    expect(await (await get('controlnet')).text()).toBe('{"c": {"name": "c"}}');

    primary.enqueue('stable_diffusion', { delayMs: 150 });
    const t0 = Date.now();
    expect(await (await get('image_generation')).text()).toBe(SD);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    primary.enqueue('image_generation', { truncateAfterBytes: 10 });
    const cut = await get('image_generation');
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();

    primary.enqueue('image_generation', { destroy: true });
    await expect(get('image_generation')).rejects.toThrow();
    primary.enqueue('image_generation', { hangMs: 100 });
    await expect(get('image_generation')).rejects.toThrow();
    expect(await (await get('image_generation')).text()).toBe(SD); // queue drained
    expect(primary.requests.filter((r) => r.category === 'image_generation' && r.status === 0).length).toBeGreaterThanOrEqual(2);
  });
});
