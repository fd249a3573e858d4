/**
 * Seeded generator of realistic model-reference data at 1×, 10× and 100× the real size
 * (docs: formats.md §6), as a `ScenarioData` for the loopback scenario plus the KNOWN TRUTH of the
 * drift between the repositories and PRIMARY.
 *
 * - image: stable_diffusion.json written exactly as the repository writes it (Python
 *   `json.dumps(indent=4)` + "\n", ensure_ascii), with the real field order, out-of-order entries
 *   and ~1% non-ASCII names; the eight small image files are copied from the real snapshot (or the
 *   fixtures) and stay in sync.
 * - text: models.csv (CRLF, QUOTE_MINIMAL, duplicate rows, some conflicting, `1.0`/`3.0` settings),
 *   db.json made from it by the project's convert.py port, defaults.json and generation_params.json.
 * - PRIMARY: a drifted copy (added, removed, modified entries) in PRIMARY's own bytes
 *   (`json.dumps(indent=2, ensure_ascii=False)`, no final newline), with cosmetic-only changes that
 *   must not count: a partly shuffled top-level order, shuffled keys inside entries, `1.0`↔`1`,
 *   an integer spelled as a float, `\u00e9`↔`é`, re-indentation and one CRLF body.
 *
 * Every generated pair is checked with an independent diff (plain `JSON.parse` per entry, keys
 * sorted) before its truth is returned; a disagreement throws.
 *
 * CLI: `node dist/bench/generate.js --scale 10 [--seed N] --out <dir>` writes the files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LexNumber, parseLex, type LexObject, type LexValue } from '../src/formats/json/lex-value.js';
import { PY_INDENT4, pythonDumps, type PythonDumpOptions } from '../src/formats/json/python-json.js';
import { convertToDbJson, convertToRecords } from '../src/formats/text/convert.js';
import { formatCsvRow } from '../src/formats/text/csv.js';
import type { ScenarioData } from '../test/support/sync-scenario.js';

/** PRIMARY's serializer: `json.dumps(obj, indent=2, ensure_ascii=False)`. */
export const PRIMARY_DUMPS: PythonDumpOptions = { indent: '  ', ensureAscii: false };

export const IMAGE_CATEGORIES = ['blip', 'clip', 'codeformer', 'controlnet', 'esrgan', 'gfpgan', 'miscellaneous', 'safety_checker', 'image_generation'] as const;
export const ALL_CATEGORIES = [...IMAGE_CATEGORIES, 'text_generation'] as const;

export interface CategoryTruth {
  readonly added: string[];
  readonly removed: string[];
  readonly modified: string[];
}

export interface GeneratedScenario {
  readonly label: string;
  readonly scale: number;
  readonly seed: number;
  readonly data: ScenarioData;
  /** The drift per category (db.json keys for text_generation), each list sorted by code point. */
  readonly truth: Record<string, CategoryTruth>;
  readonly stats: {
    readonly imageEntries: number;
    readonly textModels: number;
    readonly textRows: number;
    readonly bytes: Record<string, number>;
    readonly generateMs: number;
    /** Value-preserving differences planted in PRIMARY (each must count as no change). */
    readonly cosmetic: Record<string, number>;
  };
}

export interface GenerateOptions {
  /** 1 = the real size (161 image entries, 719 text models). */
  readonly scale: number;
  readonly seed?: number;
  /** Where the real snapshots are (for the small image files); falls back to fixtures/sync. */
  readonly dataDir?: string;
  /** Check the truth with the independent diff (default true). */
  readonly verify?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Helpers: PRNG, code-point order, lexeme-keeping values

/** mulberry32: small, fast, good enough for test data, identical on every platform. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return s;
  }
  /** `k` distinct indices of [0, n), in random order. */
  sample(n: number, k: number): number[] {
    const chosen = new Set<number>();
    k = Math.min(k, n);
    while (chosen.size < k) chosen.add(Math.floor(this.next() * n));
    return [...chosen];
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

/** Python's sorted() order for str (code points). */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const sorted = (keys: Iterable<string>): string[] => [...keys].sort(compareCodePoints);
const num = (n: number | bigint | string): LexNumber => new LexNumber(String(n));
const obj = (entries: [string, LexValue][]): LexObject => new Map(entries);

function cloneLex(value: LexValue): LexValue {
  if (Array.isArray(value)) return value.map(cloneLex);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, cloneLex(v)]));
  return value;
}

// ---------------------------------------------------------------------------------------------
// Image: stable_diffusion.json

const WORDS = (
  'Absolute Reality Dream Shaper Deliberate Anything Counterfeit Realistic Vision Epic Photo Anime Pastel Mix Toon You Rev Animated ' +
  'Juggernaut Albedo Base Nova Furry Flat Illustrious Pony Diffusion Cyber Realistic Majic Henmix Real Dark Sushi Chillout Abyss Orange ' +
  'Meina Hentai Kotosmix Mistoon Ruby Emerald Sapphire Neon Dusk Dawn Aurora Velvet Ember Frost Zephyr Lumina Astra Nebula Obsidian ' +
  'Crystal Shadow Blossom Sakura Kawaii Mecha Steam Punk Noir Retro Vintage Modern Classic Fantasy Dragon Phoenix Wolf Fox Tiger ' +
  'Portrait Landscape Cinematic Studio Analog Film Sketch Ink Water Color Oil Canvas Pixel Art Comic Manga Painter Illustrator'
).split(' ');
const NAME_SUFFIX = ['XL', 'XL', 'SDXL', 'v2', 'v3', 'V5', '1.5', '2.0', 'Mix', 'Diffusion', 'Inpainting', 'Turbo', 'Lightning', 'Pony', 'Alpha', 'Beta'];
const NON_ASCII = ['\u2014', '\u2019', '\u00e9', '\u00fc', '\u00e8'];
const BASELINES: [string, number][] = [
  ['stable diffusion 1', 66],
  ['stable_diffusion_xl', 30],
  ['stable diffusion 2', 2.5],
  ['flux_1', 1],
  ['stable_cascade', 0.5],
];
const STYLES: [string, number][] = [
  ['anime', 35],
  ['realistic', 21],
  ['artistic', 20],
  ['generalist', 15],
  ['other', 5],
  ['furry', 4],
];
const VERSIONS = ['1.0', '2', '1', '2.0', '3', 'v9.0', '1.5', '4.0', '5', '2.1', '10', 'v2', '1.1', '7.0'];
const IMAGE_TAGS = ['anime', 'photorealistic', 'portrait', 'landscape', 'nsfw', 'sfw', 'furry', 'character', 'semi-realistic', 'painting', '3d', 'cartoon'];
const SENTENCES = [
  'A finetuned model for realistic portraits',
  'Generalist AI image generating model',
  'Produces anime-style characters with vivid colors',
  'Merged from several popular community checkpoints',
  'Good at landscapes, architecture and interiors',
  'Trained on a curated dataset of digital paintings',
  'Works best with short, descriptive prompts',
  'Use "masterpiece" and "best quality" for the best results',
  'An SDXL model focused on stylized illustrations',
  'Less prone to deformities than its predecessor',
  'The baseline for all finetuned models',
  'Designed for furry and anthro art',
];

function sentenceText(rng: Rng, min: number, max: number, nonAsciiRate: number): string {
  let s = '';
  const target = rng.int(min, max);
  while (s.length < target) s += (s ? '. ' : '') + rng.pick(SENTENCES);
  s = s.slice(0, Math.max(min, target)).trimEnd() + '.';
  if (rng.chance(nonAsciiRate)) s = s.replace(' ', ` ${rng.pick(NON_ASCII)} `);
  return s;
}

function imageName(rng: Rng, used: Set<string>): string {
  for (;;) {
    const words = rng.weighted([
      [1, 25],
      [2, 55],
      [3, 20],
    ]);
    const parts: string[] = [];
    for (let i = 0; i < words; i++) parts.push(rng.pick(WORDS));
    if (rng.chance(0.45)) parts.push(rng.pick(NAME_SUFFIX));
    let name = parts.join(rng.chance(0.85) ? ' ' : rng.pick(['-', '_', '']));
    if (rng.chance(0.06)) name += ` (${rng.pick(['SDXL', 'Pony', 'SD1.5', 'Illustrious'])})`;
    if (rng.chance(0.03)) name = name.replace(/s? /, "'s ");
    if (rng.chance(0.01)) name = name.replace(' ', ` ${rng.pick(NON_ASCII)} `);
    if (name.length > 45) name = name.slice(0, 45).trim();
    for (let n = 2; used.has(name); n++) name = `${name.replace(/ v\d+$/, '')} v${n}`;
    used.add(name);
    return name;
  }
}

function sha256(rng: Rng): string {
  const h = rng.hex(64);
  return rng.chance(0.28) ? h.toUpperCase() : h;
}

function fileStem(name: string): string {
  const stem = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return stem === '' ? 'model' : stem;
}

/** The dominant field order (formats.md §6). */
const IMAGE_ORDER = [
  'name',
  'baseline',
  'optimization',
  'type',
  'inpainting',
  'description',
  'tags',
  'showcases',
  'version',
  'style',
  'trigger',
  'homepage',
  'nsfw',
  'download_all',
  'requirements',
  'config',
  'available',
  'features_not_supported',
  'size_on_disk_bytes',
];

function imageEntry(rng: Rng, name: string): LexObject {
  const baseline = rng.weighted(BASELINES);
  const sdxl = baseline === 'stable_diffusion_xl';
  const fields = new Map<string, LexValue>();
  fields.set('name', name);
  fields.set('baseline', baseline);
  if (rng.chance(0.006)) fields.set('optimization', 'lightning');
  fields.set('type', 'ckpt');
  fields.set('inpainting', rng.chance(0.05));
  fields.set('description', sentenceText(rng, 15, rng.chance(0.1) ? 560 : 160, 0.02));
  if (rng.chance(0.17)) fields.set('tags', rng.sample(IMAGE_TAGS.length, rng.int(1, 4)).map((i) => IMAGE_TAGS[i] as string));
  if (rng.chance(0.46)) {
    const slug = fileStem(name).toLowerCase();
    fields.set(
      'showcases',
      Array.from({ length: rng.int(1, 3) }, (_, i) => `https://raw.githubusercontent.com/Haidra-Org/AI-Horde-image-model-reference/main/showcase/${slug}/0${i + 1}_${rng.hex(6)}.webp`),
    );
  }
  fields.set('version', rng.pick(VERSIONS));
  fields.set('style', rng.weighted(STYLES));
  if (rng.chance(0.15)) fields.set('trigger', Array.from({ length: rng.weighted([[1, 70], [3, 20], [12, 8], [25, 2]] as const) }, () => rng.pick(WORDS).toLowerCase()));
  if (rng.chance(0.96)) {
    const id = rng.int(1000, 999999);
    fields.set(
      'homepage',
      rng.weighted([
        [`https://civitai.com/models/${id}?modelVersionId=${rng.int(1000, 2000000)}`, 77],
        [`https://huggingface.co/${fileStem(name)}/${fileStem(name)}`, 21],
        [`https://example.org/${id}`, 2],
      ]),
    );
  }
  fields.set('nsfw', rng.chance(0.5));
  fields.set('download_all', rng.chance(0.04));
  if (rng.chance(0.18)) {
    fields.set(
      'requirements',
      rng.weighted<LexObject>([
        [obj([['clip_skip', num(2)]]), 80],
        [obj([['cfg_scale', num('1.0')], ['min_steps', num(4)], ['max_steps', num(8)]]), 10],
        [obj([['cfg_scale', num('2.5')], ['samplers', ['k_euler_a', 'k_dpmpp_sde']]]), 10],
      ]),
    );
  }
  const ext = rng.chance(0.8) ? '.safetensors' : '.ckpt';
  const file = fileStem(name) + ext;
  const main: LexObject = obj([['path', file]]);
  if (rng.chance(0.41)) main.set('md5sum', rng.hex(32));
  main.set('sha256sum', sha256(rng));
  if (rng.chance(0.05)) main.set('file_type', 'ckpt');
  const files: LexValue[] = [main];
  if (!sdxl) files.push(obj([['path', baseline === 'stable diffusion 2' ? 'v2-inference-v.yaml' : 'v1-inference.yaml']]));
  const url = rng.chance(0.94)
    ? `https://huggingface.co/mirroring/horde_models/resolve/main/${file}?download=true`
    : `https://civitai.com/api/download/models/${rng.int(10000, 2000000)}`;
  fields.set('config', obj([['files', files], ['download', [obj([['file_name', file], ['file_path', ''], ['file_url', url]])]]]));
  if (rng.chance(0.67)) fields.set('available', false);
  if (sdxl && rng.chance(0.7)) fields.set('features_not_supported', ['hires_fix', 'inpainting', 'controlnet']);
  if (rng.chance(0.99)) {
    const base = sdxl ? 6_938_078_334 : baseline === 'flux_1' ? 17_000_000_000 : rng.chance(0.5) ? 2_132_625_894 : 4_265_380_512;
    fields.set('size_on_disk_bytes', num(base + rng.int(-500_000, 500_000)));
  }
  return orderImageEntry(rng, fields);
}

/** The dominant order, or (~8% of entries) one of a few real-looking deviations. */
function orderImageEntry(rng: Rng, fields: Map<string, LexValue>): LexObject {
  const order = [...IMAGE_ORDER];
  if (rng.chance(0.08)) {
    const move = (key: string, before: string) => {
      const from = order.indexOf(key);
      order.splice(from, 1);
      order.splice(order.indexOf(before), 0, key);
    };
    rng.pick([
      () => move('homepage', 'description'),
      () => move('available', 'config'),
      () => move('size_on_disk_bytes', 'config'),
      () => move('tags', 'trigger'),
      () => move('showcases', 'description'),
      () => {
        move('nsfw', 'version');
        move('homepage', 'version');
      },
      () => move('requirements', 'nsfw'),
    ])();
  }
  const entry: LexObject = new Map();
  for (const key of order) {
    const value = fields.get(key);
    if (value !== undefined) entry.set(key, value);
  }
  return entry;
}

type ImageModifier = (rng: Rng, e: LexObject) => boolean;

const getConfig = (e: LexObject) => e.get('config') as LexObject;
const firstOf = (v: LexValue | undefined) => (Array.isArray(v) ? (v[0] as LexObject | undefined) : undefined);

/** Value-changing edits; each returns false when it does not apply to the entry. */
const IMAGE_MODIFIERS: ImageModifier[] = [
  // URL swap
  (rng, e) => {
    const dl = firstOf(getConfig(e).get('download'));
    if (!dl) return false;
    dl.set('file_url', `${dl.get('file_url') as string}&rev=${rng.hex(6)}`);
    return true;
  },
  // sha case flip
  (_rng, e) => {
    const f = firstOf(getConfig(e).get('files'));
    const sha = f?.get('sha256sum');
    if (typeof sha !== 'string') return false;
    f!.set('sha256sum', sha === sha.toUpperCase() ? sha.toLowerCase() : sha.toUpperCase());
    return true;
  },
  // tag add / remove
  (rng, e) => {
    const tags = e.get('tags');
    if (Array.isArray(tags) && tags.length > 1) tags.pop();
    else if (Array.isArray(tags)) tags.push(`tag-${rng.hex(4)}`);
    else {
      // Inserted after description, where the file's order puts it.
      const rebuilt = [...e];
      const at = rebuilt.findIndex(([k]) => k === 'description') + 1;
      rebuilt.splice(at, 0, ['tags', ['anime', `tag-${rng.hex(4)}`]]);
      e.clear();
      for (const [k, v] of rebuilt) e.set(k, v);
    }
    return true;
  },
  // nsfw flip
  (_rng, e) => {
    e.set('nsfw', !(e.get('nsfw') as boolean));
    return true;
  },
  // nested array element change
  (rng, e) => {
    const showcases = e.get('showcases');
    if (Array.isArray(showcases) && showcases.length > 0) {
      showcases[showcases.length - 1] = `https://raw.githubusercontent.com/Haidra-Org/AI-Horde-image-model-reference/main/showcase/new/${rng.hex(8)}.webp`;
      return true;
    }
    const files = getConfig(e).get('files');
    const last = Array.isArray(files) ? (files[files.length - 1] as LexObject) : undefined;
    if (!last) return false;
    last.set('path', `${last.get('path') as string}.v2`);
    return true;
  },
  // description / version edit
  (rng, e) => {
    e.set('description', `${e.get('description') as string} Updated ${rng.hex(4)}.`);
    return true;
  },
  (rng, e) => {
    e.set('size_on_disk_bytes', num(rng.int(1_000_000_000, 9_000_000_000)));
    return true;
  },
];

// ---------------------------------------------------------------------------------------------
// Text: models.csv

const ORGS_WEIGHTED: [string, number][] = [
  ['Qwen', 14],
  ['TheDrummer', 8],
  ['KoboldAI', 7],
  ['EleutherAI', 4],
  ['mistralai', 3],
  ['meta-llama', 3],
  ['google', 3],
  ['NousResearch', 2],
  ['Sao10K', 2],
  ['anthracite-org', 2],
];
const ORG_ROOTS = 'Aeala acrastt Casual-Autopsy Undi95 bartowski LatitudeGames ReadyArt zerofata Gryphe cognitivecomputations nothingiisreal Doctor-Shotgun allura-org SicariusSicariiStuff PygmalionAI BeaverAI Steelskull TareksLab DavidAU lightblue'.split(' ');
const FAMILIES = 'Cydonia Magnum Rocinante Behemoth Skyfall Fimbulvetr Stheno Euryale Lumimaid Mythomax Noromaid Tiefighter Psyfighter Erebus Nerys Estopia Gemmasutra Big-Tiger Anubis Valkyrie Precog Magidonia Broken-Tutu PaintedFantasy Llama Mistral Gemma Qwen3 Phi Falcon Pythia Marx Enterredaas Hermes Dolphin Nemo Ministral Magistral Mixtral'.split(' ');
const VARIANTS = ['v1', 'v2', 'v4.3', 'v1.1', 'Instruct', 'Chat', 'it', 'v0.4', 'Base', 'RP', 'Creative', 'Heretic', 'QAT', 'v3.2', '2512', 'Uncensored'];
const TEXT_STYLES: [string, number][] = [
  ['', 75],
  ['chat', 15],
  ['generalist', 4.5],
  ['roleplay', 2],
  ['utility', 1.2],
  ['story', 0.6],
  ['Chat', 0.6],
  ['coder', 0.6],
  ['conversational', 0.5],
];
const TEXT_TAGS = ['roleplay', 'chat', 'popular', 'story', 'agentic', 'coding', 'MoE', 'reasoning', 'uncensored', 'multilingual', 'vision', 'math'];
const INSTRUCT = ['ChatML', 'Mistral', 'Mistral V7 Tekken', 'Gemma 4', 'Alpaca', 'Llama 3'];
const TEXT_BASELINES = ['mistralai/Mistral-Nemo-Base-2407', 'mistralai/Mistral-Small-3.1-24B-Base-2503', 'mistralai/Magistral-Small-2509', 'meta-llama/Llama-3.1-8B', 'Qwen/Qwen3-32B', 'google/gemma-3-27b-pt'];
const SETTINGS = [
  '{"temperature": 1.0, "top_p": 0.95, "min_p": 0.05}',
  '{"temperature": 1.3, "min_p": 0.03, "rep_pen": 3.0}',
  '{"temperature": 0.75, "min_p": 0.1}',
  '{"temperature": 0.7, "top_p": 0.1, "top_k": 40, "rep_pen":1.18}',
];
const TEXT_DESCRIPTIONS = [
  'Very diverse and creative model. May fall behind in logic compared to some other models but generally regarded as one of the more "fun" models in terms of how it writes. Good at both Story and RP.',
  'The following models were included in the merge: anthracite-core/Mistral-Small-3.2-24B-Instruct-2506-Text-Only, TheDrummer/Magidonia-24B-v4.3, TheDrummer/Precog-24B-v1',
  'This is a finetune trained on a mix of roleplay, story and instruction data, for 2 epochs using QLoRA.',
  'A small, fast model for simple tasks',
  'Big brother of the 12b model. Because this was trained on a totally different base, this MAY behave a bit differently than its smaller counterpart.',
  'An uncensored model for creative writing; follows instructions well, and keeps characters consistent over long chats.',
];

interface TextModel {
  name: string;
  cells: string[]; // models.csv cells, in header order
}
const CSV_HEADER = ['name', 'parameters_bn', 'display_name', 'url', 'baseline', 'description', 'style', 'tags', 'instruct_format', 'settings'];
const COL = Object.fromEntries(CSV_HEADER.map((c, i) => [c, i])) as Record<string, number>;

function parametersBn(rng: Rng): string {
  if (rng.chance(0.05)) return rng.pick(['0.07', '0.125', '1.3', '12.2', '2.7', '6.7', '0.5', '0.35']);
  if (rng.chance(0.005)) return String(rng.pick([235, 405, 480, 671, 700]));
  return String(rng.weighted([
    [rng.int(1, 9), 30],
    [rng.int(10, 35), 45],
    [rng.int(36, 123), 25],
  ]));
}

function textModel(rng: Rng, usedNames: Set<string>, usedModelNames: Set<string>): TextModel {
  const params = parametersBn(rng);
  let modelName: string;
  let name: string;
  for (;;) {
    const size = Number(params) >= 1 ? `${Math.round(Number(params))}B` : `${Math.round(Number(params) * 1000)}M`;
    modelName = `${rng.pick(FAMILIES)}-${size}${rng.chance(0.8) ? '-' + rng.pick(VARIANTS) : ''}`;
    if (rng.chance(0.3)) modelName += `-${rng.pick(VARIANTS)}`;
    for (let n = 2; usedModelNames.has(modelName); n++) modelName = `${modelName.replace(/-r\d+$/, '')}-r${n}`;
    const org = rng.chance(0.005) ? null : rng.chance(0.5) ? rng.weighted(ORGS_WEIGHTED) : `${rng.pick(ORG_ROOTS)}${rng.chance(0.5) ? '' : rng.int(1, 12)}`;
    name = org === null ? modelName.toLowerCase() : `${org}/${modelName}`;
    // koboldcpp/<model_name> must stay unique (two names sharing it would collapse in db.json).
    const kobold = org === null ? name : modelName;
    if (usedNames.has(name) || usedModelNames.has(kobold)) continue;
    usedNames.add(name);
    usedModelNames.add(kobold);
    break;
  }
  const cells = new Array<string>(CSV_HEADER.length).fill('');
  cells[COL.name!] = name;
  cells[COL.parameters_bn!] = params;
  if (rng.chance(0.03)) cells[COL.display_name!] = modelName.replace(/-/g, ' ') + (rng.chance(0.2) ? ` ${rng.pick(NON_ASCII)} edition` : '');
  if (rng.chance(0.86)) cells[COL.url!] = `https://huggingface.co/${name}`;
  if (rng.chance(0.13)) cells[COL.baseline!] = rng.pick(TEXT_BASELINES);
  if (rng.chance(0.2)) {
    let d = rng.pick(TEXT_DESCRIPTIONS);
    while (rng.chance(0.3) && d.length < 500) d += ' ' + rng.pick(TEXT_DESCRIPTIONS);
    if (rng.chance(0.06)) d = d.replace(' ', ` ${rng.pick(NON_ASCII)} `);
    cells[COL.description!] = d.slice(0, 645);
  }
  cells[COL.style!] = rng.weighted(TEXT_STYLES);
  const tagCount = rng.weighted([
    [0, 70],
    [1, 16],
    [2, 8],
    [rng.int(3, 8), 6],
  ]);
  cells[COL.tags!] = rng
    .sample(TEXT_TAGS.length, tagCount)
    .map((i) => TEXT_TAGS[i] as string)
    .join(rng.pick([', ', ',', ' , ']));
  if (rng.chance(0.18)) cells[COL.instruct_format!] = rng.pick(INSTRUCT);
  if (rng.chance(0.01)) cells[COL.settings!] = rng.pick(SETTINGS);
  return { name, cells };
}

function csvText(rows: readonly (readonly string[])[]): string {
  return formatCsvRow(CSV_HEADER) + rows.map((cells) => formatCsvRow(cells)).join('');
}

/** Value-changing edits of a model's row. */
const TEXT_MODIFIERS: ((rng: Rng, cells: string[]) => void)[] = [
  (rng, c) => {
    c[COL.url!] = `https://huggingface.co/${c[COL.name!]}-${rng.hex(4)}`;
  },
  (rng, c) => {
    const tags = c[COL.tags!] ? c[COL.tags!]!.split(',').map((t) => t.trim()) : [];
    // Remove a tag, or add one the row lacks (the style may already hold it).
    const style = c[COL.style!];
    if (tags.length > 0 && tags[tags.length - 1] !== style && !tags.slice(0, -1).includes(tags[tags.length - 1]!)) tags.pop();
    else tags.push(`tag-${rng.hex(4)}`);
    c[COL.tags!] = tags.join(', ');
  },
  (rng, c) => {
    c[COL.instruct_format!] = c[COL.instruct_format!] ? '' : rng.pick(INSTRUCT);
  },
  // parameters change, which also changes the size tag
  (_rng, c) => {
    const p = Number(c[COL.parameters_bn!]);
    c[COL.parameters_bn!] = String(Math.round(p) + 3);
  },
  (rng, c) => {
    c[COL.description!] = `${c[COL.description!] ?? ''}${c[COL.description!] ? ' ' : ''}Updated, "${rng.hex(4)}".`;
  },
  (rng, c) => {
    c[COL.settings!] = c[COL.settings!] ? '' : `{"temperature": 0.${rng.int(1, 9)}, "min_p": 0.05}`;
  },
];

// ---------------------------------------------------------------------------------------------
// Independent diff: plain JSON.parse per top-level entry, canonical (sorted-key) comparison

/**
 * The top-level entries of a pretty-printed JSON object (any indent, LF or CRLF): a member starts
 * on a line `<indent>"key": ` at the first indentation level and runs to the next one. Only for the
 * generator's own output and PRIMARY-style bodies, where that layout is guaranteed.
 */
export function splitTopLevel(text: string): Map<string, string> {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l, i) => i > 0 && /^\s+"/.test(l));
  const out = new Map<string, string>();
  if (first === -1) return out;
  const indent = /^(\s+)"/.exec(lines[first] as string)![1] as string;
  const start = new RegExp(`^${indent}("(?:[^"\\\\]|\\\\.)*"): (.*)$`);
  let key: string | undefined;
  let buf: string[] = [];
  const flush = () => {
    if (key === undefined) return;
    let body = buf.join('\n').trimEnd();
    if (body.endsWith(',')) body = body.slice(0, -1);
    if (out.has(key)) throw new Error(`duplicate key ${key}`);
    out.set(key, body);
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = line.startsWith(indent) && line[indent.length] === '"' ? start.exec(line) : null;
    if (m) {
      flush();
      key = JSON.parse(m[1] as string) as string;
      buf = [m[2] as string];
    } else if (/^\}\s*$/.test(line)) {
      break;
    } else {
      buf.push(line);
    }
  }
  flush();
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Top-level entries as parsed-value texts: small documents parsed whole, big ones split by lines. */
function topLevelTexts(text: string): Map<string, string> {
  if (text.length > 40_000_000) return splitTopLevel(text);
  const parsed = JSON.parse(text) as Record<string, unknown>;
  return new Map(Object.entries(parsed).map(([k, v]) => [k, JSON.stringify(v)]));
}

/** Added, removed and modified entries of `primary` relative to `repo`, by value. */
export function independentDiff(repoText: string, primaryText: string): CategoryTruth {
  const a = topLevelTexts(repoText);
  const b = topLevelTexts(primaryText);
  const added = [...b.keys()].filter((k) => !a.has(k));
  const removed = [...a.keys()].filter((k) => !b.has(k));
  const modified: string[] = [];
  for (const [k, text] of a) {
    const other = b.get(k);
    if (other === undefined || other === text) continue;
    if (canonical(JSON.parse(text)) !== canonical(JSON.parse(other))) modified.push(k);
  }
  return { added: sorted(added), removed: sorted(removed), modified: sorted(modified) };
}

function sameTruth(a: CategoryTruth, b: CategoryTruth): boolean {
  const eq = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.added, b.added) && eq(a.removed, b.removed) && eq(a.modified, b.modified);
}

function checkTruth(category: string, recorded: CategoryTruth, repoText: string, primaryText: string): void {
  const found = independentDiff(repoText, primaryText);
  if (!sameTruth(recorded, found)) {
    const show = (t: CategoryTruth) => `+${t.added.length} -${t.removed.length} ~${t.modified.length}`;
    throw new Error(`generator: ${category}: recorded truth ${show(recorded)} but the independent diff finds ${show(found)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Small files and PRIMARY bytes

/** The project's root (where package.json and fixtures/ are), from source or dist. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'fixtures'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root');
    dir = parent;
  }
  return dir;
}

/** `--data` default: ../shared/data beside the repository, when it exists. */
export function defaultDataDir(): string | undefined {
  const dir = resolve(projectRoot(), '..', 'shared', 'data');
  return existsSync(join(dir, 'AI-Horde-image-model-reference')) ? dir : undefined;
}

function readFolder(dir: string, filter: (name: string) => boolean = () => true): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) if (filter(name)) files[name] = readFileSync(join(dir, name), 'utf8');
  return files;
}

/** PRIMARY's bytes for a file's value: `json.dumps(json.loads(text), indent=2, ensure_ascii=False)`. */
export function primaryBytes(text: string): string {
  return pythonDumps(parseLex(text), PRIMARY_DUMPS);
}

const categoryOfFile = (file: string) => {
  const name = file.replace(/\.json$/, '');
  return name === 'stable_diffusion' ? 'image_generation' : name;
};

function smallSources(dataDir: string | undefined): { image: Record<string, string>; text: Record<string, string> } {
  const real = dataDir && existsSync(join(dataDir, 'AI-Horde-image-model-reference', 'new-2026-06'));
  const imageDir = real ? join(dataDir, 'AI-Horde-image-model-reference', 'new-2026-06') : join(projectRoot(), 'fixtures', 'sync', 'image', 'repo');
  const textDir = real ? join(dataDir, 'AI-Horde-text-model-reference', 'new-2026-06') : join(projectRoot(), 'fixtures', 'sync', 'text', 'repo');
  return {
    image: readFolder(imageDir, (n) => n.endsWith('.json') && n !== 'stable_diffusion.json'),
    text: readFolder(textDir, (n) => n === 'defaults.json' || n === 'generation_params.json'),
  };
}

const EMPTY: CategoryTruth = { added: [], removed: [], modified: [] };

// ---------------------------------------------------------------------------------------------
// The generator

export function generateScenario(options: GenerateOptions): GeneratedScenario {
  const started = performance.now();
  const scale = options.scale;
  const seed = options.seed ?? 20260625 + scale;
  const rng = new Rng(seed);
  const small = smallSources(options.dataDir ?? defaultDataDir());
  const truth: Record<string, CategoryTruth> = {};
  const imageRepo: Record<string, string> = { ...small.image };
  const primary: Record<string, string> = {};

  // The eight small image files: in sync; one PRIMARY body comes with CRLF line ends (cosmetic).
  for (const [file, text] of Object.entries(small.image)) {
    const category = categoryOfFile(file);
    primary[category] = category === 'codeformer' ? primaryBytes(text).replace(/\n/g, '\r\n') : primaryBytes(text);
    truth[category] = EMPTY;
  }

  // --- image_generation
  const imageCount = Math.round(161 * scale);
  const usedNames = new Set<string>();
  const entries: [string, LexObject][] = [];
  for (let i = 0; i < imageCount; i++) {
    const name = imageName(rng, usedNames);
    entries.push([name, imageEntry(rng, name)]);
  }
  const sdText = pythonDumps(new Map(entries), PY_INDENT4) + '\n';
  imageRepo['stable_diffusion.json'] = sdText;

  const nAdd = Math.max(3, Math.round(imageCount * 0.03));
  const nRemove = Math.max(2, Math.round(imageCount * 0.025));
  const nModify = Math.max(3, Math.round(imageCount * 0.03));
  const nCosmetic = Math.max(3, Math.round(imageCount * 0.03));
  const picks = rng.sample(imageCount, nRemove + nModify + 3 * nCosmetic);
  const removeSet = new Set(picks.slice(0, nRemove));
  const modifySet = new Set(picks.slice(nRemove, nRemove + nModify));
  const cosmetic = picks.slice(nRemove + nModify);
  const shuffleKeys = new Set(cosmetic.slice(0, nCosmetic));
  const respell = new Set(cosmetic.slice(nCosmetic, 2 * nCosmetic));
  const floatSize = new Set(cosmetic.slice(2 * nCosmetic));

  const imageTruth = { added: [] as string[], removed: [] as string[], modified: [] as string[] };
  const planted: Record<string, number> = {
    imageKeysShuffled: 0,
    imageNumbersRespelled: 0,
    imageNonAsciiEntries: 0,
    imageOrderMoved: 0,
    textKeysShuffled: 0,
    textNumbersRespelled: 0,
    textNonAsciiRecords: 0,
    textOrderMoved: 0,
    crlfBodies: 1,
  };
  let target: [string, LexObject][] = [];
  entries.forEach(([name, entry], i) => {
    if (removeSet.has(i)) {
      imageTruth.removed.push(name);
      return;
    }
    let value = entry;
    if (modifySet.has(i)) {
      value = cloneLex(entry) as LexObject;
      const ops = rng.sample(IMAGE_MODIFIERS.length, rng.int(1, 2));
      let changed = false;
      for (const op of ops) changed = (IMAGE_MODIFIERS[op] as ImageModifier)(rng, value) || changed;
      if (!changed) (IMAGE_MODIFIERS[3] as ImageModifier)(rng, value); // nsfw flip always applies
      imageTruth.modified.push(name);
    }
    if (shuffleKeys.has(i)) {
      const before = [...value.keys()].join('\0');
      value = new Map(rng.shuffle([...value]));
      if ([...value.keys()].join('\0') !== before && !modifySet.has(i)) planted['imageKeysShuffled']!++;
    }
    if (respell.has(i) || floatSize.has(i)) {
      value = cloneLex(value) as LexObject;
      const size = value.get('size_on_disk_bytes');
      // `1e2`-style: PRIMARY holding the same number as a float (`4265380512.0`).
      if (floatSize.has(i) && size instanceof LexNumber) value.set('size_on_disk_bytes', num(`${size.lexeme}.0`));
      if (floatSize.has(i) && size instanceof LexNumber) planted['imageNumbersRespelled']!++;
      const req = value.get('requirements');
      if (respell.has(i) && req instanceof Map) {
        for (const [k, v] of req) if (v instanceof LexNumber && /^\d+$/.test(v.lexeme)) req.set(k, num(`${v.lexeme}.0`));
        for (const [k, v] of req) if (v instanceof LexNumber && v.lexeme === '1.0') req.set(k, num('1'));
        planted['imageNumbersRespelled']!++;
      }
    }
    target.push([name, value]);
  });
  for (let i = 0; i < nAdd; i++) {
    const name = imageName(rng, usedNames);
    target.splice(rng.int(0, target.length), 0, [name, imageEntry(rng, name)]);
    imageTruth.added.push(name);
  }
  target = partialShuffle(rng, target);
  planted['imageOrderMoved'] = orderMoves(entries.map(([k]) => k), target.map(([k]) => k));
  planted['imageNonAsciiEntries'] = target.filter(([k, v]) => /[^\x00-\x7f]/.test(k + String(v.get('description')))).length;
  primary['image_generation'] = pythonDumps(new Map(target), PRIMARY_DUMPS);
  truth['image_generation'] = { added: sorted(imageTruth.added), removed: sorted(imageTruth.removed), modified: sorted(imageTruth.modified) };

  // --- text_generation
  const modelCount = Math.round(719 * scale);
  const usedTextNames = new Set<string>();
  const usedModelNames = new Set<string>();
  const models: TextModel[] = [];
  for (let i = 0; i < modelCount; i++) models.push(textModel(rng, usedTextNames, usedModelNames));
  // Duplicate rows (~0.5%), half of them conflicting (a later row with other values wins in convert.py).
  const rows: TextModel[] = [...models];
  const dupCount = Math.max(2, Math.round(modelCount * 0.005));
  const duplicated = new Set<string>();
  for (const i of rng.sample(modelCount, dupCount)) {
    const m = models[i] as TextModel;
    const cells = [...m.cells];
    if (duplicated.size % 2 === 1) {
      cells[COL.url!] = `https://huggingface.co/${m.name}-GGUF`;
      cells[COL.description!] = 'Conflicting duplicate row: this one wins.';
    }
    duplicated.add(m.name);
    rows.splice(Math.min(rows.length, rows.indexOf(m) + rng.int(1, 40)), 0, { name: m.name, cells });
  }
  const modelsCsv = csvText(rows.map((r) => r.cells));
  const defaults = small.text['defaults.json'] as string;
  const params = small.text['generation_params.json'] as string;
  const dbJson = convertToDbJson(modelsCsv, defaults, params);

  const tAdd = Math.max(3, Math.round(modelCount * 0.01));
  const tRemove = Math.max(2, Math.round(modelCount * 0.005));
  const tModify = Math.max(5, Math.round(modelCount * 0.02));
  const tCosmetic = Math.max(3, Math.round(modelCount * 0.02));
  const candidates = models.map((m, i) => ({ m, i })).filter(({ m }) => !duplicated.has(m.name));
  const tPicks = rng.sample(candidates.length, tRemove + tModify).map((j) => (candidates[j] as { m: TextModel }).m.name);
  const tRemoveSet = new Set(tPicks.slice(0, tRemove));
  const tModifySet = new Set(tPicks.slice(tRemove));
  const textTruth = { added: [] as string[], removed: [] as string[], modified: [] as string[] };
  const keysOf = (name: string): string[] => [name, `aphrodite/${name}`, `koboldcpp/${name.includes('/') ? name.split('/')[1] : name}`];
  let primaryRows: string[][] = [];
  const modifiedCells = new Map<string, string[]>();
  for (const row of rows) {
    if (tRemoveSet.has(row.name)) continue;
    if (tModifySet.has(row.name)) {
      let cells = modifiedCells.get(row.name);
      if (!cells) {
        cells = [...row.cells];
        for (const op of rng.sample(TEXT_MODIFIERS.length, rng.int(1, 2))) TEXT_MODIFIERS[op]!(rng, cells);
        modifiedCells.set(row.name, cells);
      }
      primaryRows.push(cells);
    } else {
      primaryRows.push(row.cells);
    }
  }
  for (const name of tRemoveSet) textTruth.removed.push(...keysOf(name));
  for (const name of tModifySet) textTruth.modified.push(...keysOf(name));
  const modifiedKeys = new Set(textTruth.modified);
  for (let i = 0; i < tAdd; i++) {
    const m = textModel(rng, usedTextNames, usedModelNames);
    primaryRows.splice(rng.int(0, primaryRows.length), 0, m.cells);
    textTruth.added.push(...keysOf(m.name));
  }
  // Rows of duplicated names keep their order: swapping them would change which row wins.
  const rowOrder = primaryRows.map((cells) => cells[COL.name!] as string);
  primaryRows = partialShuffle(rng, primaryRows, (cells) => !duplicated.has(cells[COL.name!] as string));
  planted['textOrderMoved'] = orderMoves(rowOrder, primaryRows.map((cells) => cells[COL.name!] as string));
  const records = convertToRecords(csvText(primaryRows), defaults, params);
  // Cosmetic: shuffled keys in some records, `1.0` written as `1` in settings (Python int vs float).
  const recordKeys = [...records.keys()];
  for (const k of rng.sample(recordKeys.length, tCosmetic)) {
    const key = recordKeys[k] as string;
    records.set(key, new Map(rng.shuffle([...(records.get(key) as LexObject)])));
    if (!modifiedKeys.has(key)) planted['textKeysShuffled']!++;
  }
  for (const [key, record] of records) {
    const settings = record.get('settings');
    if (!(settings instanceof Map) || ![...settings.values()].some((v) => v instanceof LexNumber && v.lexeme.endsWith('.0'))) continue;
    if (modifiedKeys.has(key)) continue;
    const respelled = new Map(settings);
    for (const [k, v] of respelled) if (v instanceof LexNumber && v.lexeme.endsWith('.0')) respelled.set(k, num(v.lexeme.slice(0, -2)));
    const copy = new Map(record);
    copy.set('settings', respelled);
    records.set(key, copy);
    planted['textNumbersRespelled']!++;
  }
  for (const [key, record] of records) {
    if (!modifiedKeys.has(key) && /[^\x00-\x7f]/.test(String(record.get('description')) + String(record.get('display_name')))) planted['textNonAsciiRecords']!++;
  }
  primary['text_generation'] = pythonDumps(records, PRIMARY_DUMPS);
  truth['text_generation'] = { added: sorted(textTruth.added), removed: sorted(textTruth.removed), modified: sorted(textTruth.modified) };

  const textRepo: Record<string, string> = { 'db.json': dbJson, 'defaults.json': defaults, 'generation_params.json': params, 'models.csv': modelsCsv };
  const data: ScenarioData = { imageRepo, textRepo, primary };
  if (options.verify ?? true) verifyTruth(data, truth);
  const bytes: Record<string, number> = {};
  for (const [f, t] of Object.entries(imageRepo)) bytes[`image/${f}`] = Buffer.byteLength(t);
  for (const [f, t] of Object.entries(textRepo)) bytes[`text/${f}`] = Buffer.byteLength(t);
  for (const [c, t] of Object.entries(primary)) bytes[`primary/${c}`] = Buffer.byteLength(t);
  return {
    label: `synthetic ${scale}x`,
    scale,
    seed,
    data,
    truth,
    stats: { imageEntries: imageCount, textModels: modelCount, textRows: rows.length, bytes, generateMs: Math.round(performance.now() - started), cosmetic: planted },
  };
}

/** How many items of `after` sit in another relative order than in `before` (common items only). */
function orderMoves(before: readonly string[], after: readonly string[]): number {
  const kept = new Set(after);
  const a = before.filter((k) => kept.has(k));
  const inBefore = new Set(a);
  const b = after.filter((k) => inBefore.has(k));
  let moved = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) moved++;
  return moved;
}

/** Swaps ~5% of neighbouring items and moves a few blocks: a reorder that is not a change. */
function partialShuffle<T>(rng: Rng, items: T[], movable: (item: T) => boolean = () => true): T[] {
  const out = [...items];
  for (let i = 0; i + 1 < out.length; i++) {
    if (rng.chance(0.05) && movable(out[i] as T) && movable(out[i + 1] as T)) {
      [out[i], out[i + 1]] = [out[i + 1] as T, out[i] as T];
      i++;
    }
  }
  const blocks = Math.max(1, Math.round(out.length / 2000));
  for (let b = 0; b < blocks && out.length > 20; b++) {
    const len = rng.int(2, 10);
    const from = rng.int(0, out.length - len);
    if (!out.slice(from, from + len).every(movable)) continue;
    const block = out.splice(from, len);
    out.splice(rng.int(0, out.length), 0, ...block);
  }
  return out;
}

/** Checks every category's truth with the independent diff; throws on a disagreement. */
export function verifyTruth(data: ScenarioData, truth: Record<string, CategoryTruth>): void {
  for (const [file, text] of Object.entries(data.imageRepo)) {
    const category = categoryOfFile(file);
    checkTruth(category, truth[category] ?? EMPTY, text, data.primary[category] ?? '');
  }
  checkTruth('text_generation', truth['text_generation'] ?? EMPTY, data.textRepo['db.json'] ?? '', data.primary['text_generation'] ?? '');
}

/**
 * The real 1× case: the repositories at the `pre-sync` snapshots, PRIMARY serving the `new-2026-06`
 * snapshots in PRIMARY's bytes; the truth is the independent diff. Falls back to fixtures/sync.
 */
export function realScenario(dataDir: string | undefined): GeneratedScenario {
  const started = performance.now();
  const real = dataDir !== undefined && existsSync(join(dataDir, 'AI-Horde-image-model-reference', 'pre-sync-2026-03'));
  const root = real ? dataDir : join(projectRoot(), 'fixtures', 'sync');
  const imageRepo = real ? readFolder(join(root, 'AI-Horde-image-model-reference', 'pre-sync-2026-03')) : readFolder(join(root, 'image', 'repo'));
  const textRepo = real ? readFolder(join(root, 'AI-Horde-text-model-reference', 'pre-sync-2026-05')) : readFolder(join(root, 'text', 'repo'));
  const primary: Record<string, string> = {};
  if (real) {
    for (const [file, text] of Object.entries(readFolder(join(root, 'AI-Horde-image-model-reference', 'new-2026-06')))) primary[categoryOfFile(file)] = primaryBytes(text);
    primary['text_generation'] = primaryBytes(readFileSync(join(root, 'AI-Horde-text-model-reference', 'new-2026-06', 'db.json'), 'utf8'));
  } else {
    for (const [file, text] of Object.entries(readFolder(join(root, 'image', 'primary')))) primary[categoryOfFile(file)] = text;
    primary['text_generation'] = readFileSync(join(root, 'text', 'primary', 'text_generation.json'), 'utf8');
  }
  const truth: Record<string, CategoryTruth> = {};
  for (const [file, text] of Object.entries(imageRepo)) truth[categoryOfFile(file)] = independentDiff(text, primary[categoryOfFile(file)] ?? '');
  truth['text_generation'] = independentDiff(textRepo['db.json'] ?? '', primary['text_generation'] ?? '');
  const bytes: Record<string, number> = {};
  for (const [f, t] of Object.entries(imageRepo)) bytes[`image/${f}`] = Buffer.byteLength(t);
  for (const [f, t] of Object.entries(textRepo)) bytes[`text/${f}`] = Buffer.byteLength(t);
  return {
    label: real ? 'real 1x (pre-sync -> new-2026-06)' : 'fixtures/sync',
    scale: 1,
    seed: 0,
    data: { imageRepo, textRepo, primary },
    truth,
    stats: { imageEntries: splitTopLevel(imageRepo['stable_diffusion.json'] ?? '{}').size, textModels: 0, textRows: 0, bytes, generateMs: Math.round(performance.now() - started), cosmetic: {} },
  };
}

/** Writes a scenario under `dir`: image/, text/, primary/ and truth.json. */
export function writeScenario(dir: string, scenario: GeneratedScenario): void {
  for (const [sub, files] of [
    ['image', scenario.data.imageRepo],
    ['text', scenario.data.textRepo],
  ] as const) {
    mkdirSync(join(dir, sub), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, sub, name), text);
  }
  mkdirSync(join(dir, 'primary'), { recursive: true });
  for (const [name, text] of Object.entries(scenario.data.primary)) writeFileSync(join(dir, 'primary', `${name}.json`), text);
  writeFileSync(join(dir, 'truth.json'), JSON.stringify({ scale: scenario.scale, seed: scenario.seed, truth: scenario.truth, stats: scenario.stats }, null, 2) + '\n');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const scale = Number(flag('--scale') ?? '1');
  const out = flag('--out');
  const seedFlag = flag('--seed');
  const scenario = generateScenario({ scale, ...(seedFlag !== undefined ? { seed: Number(seedFlag) } : {}), ...(flag('--data') ? { dataDir: flag('--data') } : {}) });
  if (out) writeScenario(out, scenario);
  const summary = Object.fromEntries(Object.entries(scenario.truth).map(([c, t]) => [c, `+${t.added.length} -${t.removed.length} ~${t.modified.length}`]));
  process.stdout.write(JSON.stringify({ scale, seed: scenario.seed, stats: scenario.stats, truth: summary }, null, 2) + '\n');
}
