// Publishes the built web client (web/dist) to the stack's bucket behind CloudFront:
//
//   npm --prefix web run build && npm --prefix web run publish -- --stack territoire [--region eu-west-3]
//
// It reads the stack's outputs (ApiUrl, UserPoolClientId, CognitoDomainUrl, WebClientUrl,
// WebClientBucketName, WebClientDistributionId), writes config.json from web/public/config.json
// with the deployed endpoints, uploads every file with its content type and cache policy
// (hashed assets for a year, the rest revalidated on each visit), removes files a previous
// publish left that this build no longer has, then invalidates what is not hashed.
// `--bucket B --outputs F.json [--endpoint URL]` skips CloudFormation and CloudFront: the tests
// publish that way to the local AWS endpoint's S3 (docs/operations.md).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const TYPES = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8',
  json: 'application/json', svg: 'image/svg+xml', png: 'image/png', ico: 'image/x-icon', webmanifest: 'application/manifest+json',
  txt: 'text/plain; charset=utf-8', woff2: 'font/woff2', map: 'application/json',
};

export function contentType(key) {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return TYPES[ext] ?? 'application/octet-stream';
}

/** Vite names built assets by their content's hash: they never change, so browsers and CloudFront keep them a year. */
export function cacheControl(key) {
  return key.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * OpenStreetMap's standard tiles, the maps' default in AWS (https://operations.osmfoundation.org/policies/tiles/:
 * attribution shown, a Referer sent, which the client's strict-origin-when-cross-origin policy does). A `tiles` in
 * web/public/config.json replaces them; `"tiles": null` turns them off. The template's CSP img-src names this host.
 */
export const DEFAULT_TILES = {
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '© les contributeurs d’OpenStreetMap',
  attributionUrl: 'https://www.openstreetmap.org/copyright',
  maxZoom: 19,
};

/** The deployed client's config.json: the territory's settings from the repository, the endpoints from the stack. */
export function deployedConfig(base, outputs) {
  for (const k of ['ApiUrl', 'UserPoolClientId', 'CognitoDomainUrl', 'WebClientUrl']) {
    if (!outputs[k]) throw new Error(`the stack has no output ${k}`);
  }
  const domain = outputs.CognitoDomainUrl.replace(/\/$/, '');
  const { local: _local, ...auth } = base.auth ?? {};
  const tiles = base.tiles === undefined ? DEFAULT_TILES : base.tiles;
  return {
    ...base,
    tiles,
    apiUrl: outputs.ApiDistributionUrl || outputs.ApiUrl,
    auth: { ...auth, authorizeUrl: `${domain}/oauth2/authorize`, tokenUrl: `${domain}/oauth2/token`, clientId: outputs.UserPoolClientId, redirectUri: outputs.WebClientUrl },
  };
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
    i++;
  }
  return out;
}

export async function publish(options) {
  const { S3Client, PutObjectCommand, ListObjectsV2Command, DeleteObjectsCommand } = await import('@aws-sdk/client-s3');
  const region = options.region || process.env.AWS_REGION || 'eu-west-3';
  const endpoint = options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {};
  let outputs;
  if (options.outputs) {
    outputs = JSON.parse(readFileSync(options.outputs, 'utf8'));
  } else {
    const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
    const stack = (await new CloudFormationClient({ region }).send(new DescribeStacksCommand({ StackName: options.stack }))).Stacks[0];
    outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  }
  const bucket = options.bucket || outputs.WebClientBucketName;
  if (!bucket) throw new Error('no bucket: give --stack or --bucket');
  const dist = options.dist || join(here, '..', 'dist');
  const config = deployedConfig(JSON.parse(readFileSync(join(here, '..', 'public', 'config.json'), 'utf8')), outputs);
  const s3 = new S3Client({ region, ...endpoint });
  const uploads = files(dist).map((path) => [relative(dist, path).split(sep).join('/'), path]).filter(([key]) => key !== 'config.json');
  // Assets first, then the pages that name them, then the config: a visitor never gets an index.html whose assets are missing.
  uploads.sort(([a], [b]) => Number(b.startsWith('assets/')) - Number(a.startsWith('assets/')));
  for (const [key, path] of uploads) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(path), ContentType: contentType(key), CacheControl: cacheControl(key) }));
  }
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'config.json', Body: JSON.stringify(config, null, 2), ContentType: 'application/json', CacheControl: 'no-cache' }));
  const kept = new Set([...uploads.map(([key]) => key), 'config.json']);
  const stale = [];
  let token;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (!kept.has(o.Key)) stale.push({ Key: o.Key });
    token = page.NextContinuationToken;
  } while (token);
  for (let i = 0; i < stale.length; i += 1000) {
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: stale.slice(i, i + 1000) } }));
  }
  if (outputs.WebClientDistributionId && !options.outputs) {
    const { CloudFrontClient, CreateInvalidationCommand } = await import('@aws-sdk/client-cloudfront');
    const paths = [...kept].filter((k) => !k.startsWith('assets/')).map((k) => `/${k}`);
    await new CloudFrontClient({ region: 'us-east-1' }).send(new CreateInvalidationCommand({
      DistributionId: outputs.WebClientDistributionId,
      InvalidationBatch: { CallerReference: `publish-${Date.now()}`, Paths: { Quantity: paths.length + 1, Items: ['/', ...paths] } },
    }));
  }
  return { bucket, uploaded: uploads.length + 1, removed: stale.length, url: outputs.WebClientUrl };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const o = args(process.argv.slice(2));
  if (!o.stack && !(o.bucket && o.outputs)) {
    console.error('usage: publish.mjs --stack NAME [--region R] | --bucket B --outputs outputs.json [--endpoint URL]');
    process.exit(2);
  }
  const done = await publish(o);
  console.log(`Published ${done.uploaded} files to s3://${done.bucket} (${done.removed} stale removed): ${done.url}`);
}
