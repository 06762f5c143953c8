import { type Document, isMap, isScalar, parseDocument } from 'yaml';
import { CinectlError } from '../errors.ts';
import { isPort } from '../state/ports.ts';

export const MONGOD_BIND_IP = '127.0.0.1';
export const MONGOD_DEFAULT_PORT = 27017;

/** Settings current mongod refuses to start with ("Unrecognized option"), and the release that removed them. */
const REMOVED_KEYS: { path: string[]; removedIn: string }[] = [
  { path: ['storage', 'journal', 'enabled'], removedIn: '6.1' },
  { path: ['storage', 'mmapv1'], removedIn: '4.2' },
  { path: ['storage', 'repairPath'], removedIn: '4.2' },
  { path: ['storage', 'indexBuildRetry'], removedIn: '4.2' },
  { path: ['net', 'http'], removedIn: '3.6' },
];

/** Sections left empty once a removed key is gone are removed too, so no `journal: {}` stays behind. */
const EMPTIED_SECTIONS = [['storage', 'journal']];

function invalid(file: string, reason: string): CinectlError {
  return new CinectlError(`${file} is not a mongod configuration cinectl can fix: ${reason}`, {
    hint: `correct or remove ${file} (the mongodb package's default is a good start) and run the command again`,
  });
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

function parse(text: string, file: string): Document {
  const doc: Document = parseDocument(text, { prettyErrors: false });
  const [error] = doc.errors;
  if (error) throw invalid(file, `it is not valid YAML (${firstLine(error.message)})`);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    doc.contents = doc.createNode({});
  }
  if (!isMap(doc.contents)) {
    const hint = isScalar(doc.contents) ? '; the old "key = value" format is no longer read by mongod' : '';
    throw invalid(file, `its top level must be a mapping of sections like "net:" and "storage:"${hint}`);
  }
  return doc;
}

/** The section under `key` as a map: created when missing or empty; anything else is an error. */
function section(doc: Document, key: string, file: string): void {
  const value = doc.get(key, true);
  if (value === undefined || (isScalar(value) && value.value === null)) doc.set(key, doc.createNode({}));
  else if (!isMap(value)) throw invalid(file, `"${key}" must be a mapping`);
}

function isEmptyMap(node: unknown): boolean {
  return isMap(node) && node.items.length === 0;
}

/** Sets `path` to `value` unless it already has it (as a string or number); true when something changed. */
function ensureValue(doc: Document, path: string[], value: string | number, file: string): boolean {
  const [top] = path;
  if (top === undefined) return false;
  section(doc, top, file);
  if (doc.getIn(path) === value) return false;
  doc.setIn(path, value);
  return true;
}

/**
 * mongod's YAML configuration as cinectl wants it: keys current MongoDB rejects removed, `net.bindIp` 127.0.0.1
 * only, `security.authorization: enabled`; everything else (dbPath, logs, comments) kept. A configuration that is
 * already right comes back byte for byte, so writing it again changes nothing.
 */
export function fixMongodConfig(text: string, file: string): string {
  const doc = parse(text, file);
  let changed = false;
  for (const { path } of REMOVED_KEYS) {
    if (doc.hasIn(path)) {
      doc.deleteIn(path);
      changed = true;
    }
  }
  for (const path of EMPTIED_SECTIONS) {
    if (isEmptyMap(doc.getIn(path, true))) doc.deleteIn(path);
  }
  if (doc.getIn(['storage', 'engine']) === 'mmapv1') {
    doc.deleteIn(['storage', 'engine']);
    changed = true;
  }
  if (doc.hasIn(['net', 'bindIpAll'])) {
    doc.deleteIn(['net', 'bindIpAll']);
    changed = true;
  }
  changed = ensureValue(doc, ['net', 'bindIp'], MONGOD_BIND_IP, file) || changed;
  changed = ensureValue(doc, ['security', 'authorization'], 'enabled', file) || changed;
  return changed ? doc.toString() : text;
}

/** The port mongod listens on according to its configuration (27017 when it does not say). */
export function mongodPort(text: string, file: string): number {
  const port: unknown = parse(text, file).getIn(['net', 'port']);
  if (port === undefined || port === null) return MONGOD_DEFAULT_PORT;
  if (!isPort(port)) {
    throw invalid(file, `net.port must be a port number (got ${JSON.stringify(port)})`);
  }
  return port;
}
