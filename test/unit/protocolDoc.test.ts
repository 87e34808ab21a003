import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.join(__dirname, '../..');
const PROTOCOL_FILES = ['src/shared/protocol.ts', 'src/shared/agentProtocol.ts', 'src/shared/auditProtocol.ts', 'src/shared/checksProtocol.ts', 'src/shared/projectChecksProtocol.ts', 'src/shared/metricsProtocol.ts', 'src/shared/codebaseProtocol.ts', 'src/shared/embeddedProtocol.ts'].map((file) => path.join(root, file));

interface Message {
  method: string;
  kind: 'request' | 'notification';
  /** `RequestType<P, R, void>` / `NotificationType<P>`: the params, then the result. */
  payloads: Array<{ role: 'params' | 'result'; type: ts.Type }>;
}

/** A field name docs/protocol.md must show (in code) in the section of `method`. */
interface Requirement {
  method: string;
  /** e.g. `params.call.command`, for the failure message. */
  path: string;
  name: string;
}

/** The `tandem/*` messages as the compiler sees them: each namespace with a `method` and a `type = new RequestType<…>(method)`. */
function declaredMessages(): { checker: ts.TypeChecker; messages: Message[] } {
  const program = ts.createProgram(PROTOCOL_FILES, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  });
  const checker = program.getTypeChecker();
  const messages: Message[] = [];
  for (const file of PROTOCOL_FILES) {
    const source = program.getSourceFile(file);
    assert.ok(source, file);
    for (const statement of source.statements) {
      if (!ts.isModuleDeclaration(statement) || !statement.body || !ts.isModuleBlock(statement.body)) continue;
      let method: string | undefined;
      let created: ts.NewExpression | undefined;
      for (const inner of statement.body.statements) {
        if (!ts.isVariableStatement(inner)) continue;
        for (const declaration of inner.declarationList.declarations) {
          const name = declaration.name.getText(source);
          const init = declaration.initializer;
          if (name === 'method' && init && ts.isStringLiteral(init)) method = init.text;
          if (name === 'type' && init && ts.isNewExpression(init)) created = init;
        }
      }
      if (!method?.startsWith('tandem/') || !created) continue;
      const constructor = created.expression.getText(source);
      assert.ok(constructor === 'RequestType' || constructor === 'NotificationType', `${method}: made with ${constructor}`);
      const [params, result] = created.typeArguments ?? [];
      assert.ok(params, `${method}: no type arguments`);
      const payloads: Message['payloads'] = [{ role: 'params', type: checker.getTypeFromTypeNode(params) }];
      if (constructor === 'RequestType' && result) payloads.push({ role: 'result', type: checker.getTypeFromTypeNode(result) });
      messages.push({ method, kind: constructor === 'RequestType' ? 'request' : 'notification', payloads });
    }
  }
  return { checker, messages };
}

/** Declared in the protocol modules (a named interface or alias, or an inline object type there): its fields are the protocol's to document. */
function isProtocolType(type: ts.Type): boolean {
  const declarations = (type.aliasSymbol ?? type.getSymbol())?.getDeclarations() ?? [];
  return declarations.length > 0 && declarations.every((declaration) => PROTOCOL_FILES.includes(path.resolve(declaration.getSourceFile().fileName)));
}

/** The object types a payload type stands for: union members, array elements; not strings, numbers, literals. */
function objectTypes(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  const nonNull = checker.getNonNullableType(type);
  if (nonNull.isUnion()) return nonNull.types.flatMap((member) => objectTypes(checker, member));
  if (checker.isArrayType(nonNull)) return checker.getTypeArguments(nonNull as ts.TypeReference).flatMap((element) => objectTypes(checker, element));
  return nonNull.flags & ts.TypeFlags.Object ? [nonNull] : [];
}

/**
 * What the document must show for each message, in declaration order: the
 * fields of its params and result in its own section, and the fields of
 * every protocol type they contain, at any depth, in the section of the
 * first message that carries that type (later ones may say "as for …").
 */
function requirements(): { messages: Message[]; required: Requirement[] } {
  const { checker, messages } = declaredMessages();
  const homed = new Set<ts.Type>();
  const required: Requirement[] = [];
  const visit = (method: string, type: ts.Type, at: string, top: boolean): void => {
    for (const object of objectTypes(checker, type)) {
      if (!top && (!isProtocolType(object) || homed.has(object))) continue;
      homed.add(object);
      for (const property of checker.getPropertiesOfType(object)) {
        const fieldPath = `${at}.${property.name}`;
        if (!required.some((known) => known.method === method && known.path === fieldPath)) required.push({ method, path: fieldPath, name: property.name });
        const declaration = property.valueDeclaration ?? property.getDeclarations()?.[0];
        if (declaration) visit(method, checker.getTypeOfSymbolAtLocation(property, declaration), fieldPath, false);
      }
    }
  };
  for (const message of messages) {
    for (const payload of message.payloads) visit(message.method, payload.type, payload.role, true);
  }
  return { messages, required };
}

/** docs/protocol.md cut at its headings: the heading line and the names shown in code (spans and blocks) below it. */
function sections(doc: string): Map<string, { heading: string; names: Set<string> }> {
  const found = new Map<string, { heading: string; names: Set<string> }>();
  const parts = doc.split(/^(?=#{1,3} )/m);
  for (const part of parts) {
    const heading = part.slice(0, part.indexOf('\n') >>> 0);
    const method = /`(tandem\/[A-Za-z/]+)`/.exec(heading)?.[1];
    if (!method) continue;
    const body = part.slice(heading.length);
    const blocks = Array.from(body.matchAll(/```[^\n]*\n([\s\S]*?)```/g), (match) => match[1] ?? '');
    const spans = Array.from(body.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g), (match) => match[1] ?? '');
    const names = new Set([...blocks, ...spans].flatMap((code) => code.match(/[A-Za-z_$][\w$]*/g) ?? []));
    found.set(method, { heading, names });
  }
  return found;
}

function undocumented(doc: string, required: readonly Requirement[]): string[] {
  const bySection = sections(doc);
  return required
    .filter((requirement) => !bySection.get(requirement.method)?.names.has(requirement.name))
    .map((requirement) => `${requirement.method} ${requirement.path}`);
}

const doc = readFileSync(path.join(root, 'docs/protocol.md'), 'utf8');
const { messages, required } = requirements();

describe('docs/protocol.md', () => {
  it('documents every custom message declared in the shared protocol modules', () => {
    const declared = PROTOCOL_FILES.flatMap((file) =>
      Array.from(readFileSync(file, 'utf8').matchAll(/method = '(tandem\/[A-Za-z/]+)'/g), (match) => match[1] ?? ''),
    );
    assert.ok(declared.length >= 15, `found only ${declared.length} methods`);
    const missing = declared.filter((method) => !doc.includes(`\`${method}\``));
    assert.deepEqual(missing, [], `not documented in docs/protocol.md: ${missing.join(', ')}`);
  });

  it('the compiler finds the payload types of every declared message', () => {
    const declared = PROTOCOL_FILES.flatMap((file) => Array.from(readFileSync(file, 'utf8').matchAll(/method = '(tandem\/[A-Za-z/]+)'/g), (match) => match[1]));
    assert.deepEqual(messages.map((message) => message.method).sort(), declared.sort());
    for (const method of ['tandem/chat', 'tandem/agentRun', 'tandem/clientTool']) {
      assert.ok(required.some((requirement) => requirement.method === method && requirement.path.startsWith('result.')), `${method}: no result fields found`);
    }
    assert.ok(required.length >= 150, `only ${required.length} fields found`);
    assert.ok(required.some((requirement) => requirement.path === 'params.call.timeoutSeconds'), 'the fields of a union inside a payload are not found');
    assert.ok(required.some((requirement) => requirement.path === 'params.settings.sandbox.kind'), 'nested protocol types are not followed');
    assert.ok(!required.some((requirement) => requirement.path.includes('changeSet.')), 'types of src/shared/edits.ts are documented in edits.md, not here');
    assert.ok(!required.some((requirement) => requirement.name === 'checkpoint'), 'whether a step can be restored is the extension’s (StepView), not the protocol’s');
  });

  it('names every field of every tandem/* payload (params and results), in the message’s own section', () => {
    const missing = undocumented(doc, required);
    assert.deepEqual(missing, [], `fields of the protocol that docs/protocol.md does not name (in code, under the message's heading):\n  ${missing.join('\n  ')}`);
  });

  it('says of each message whether it is a request or a notification, as declared', () => {
    const bySection = sections(doc);
    const wrong = messages.filter((message) => !bySection.get(message.method)?.heading.includes(`(${message.kind},`)).map((message) => `${message.method} is a ${message.kind}`);
    assert.deepEqual(wrong, []);
  });

  it('a field left out of its section is reported, whichever it is', () => {
    const bySection = sections(doc);
    let cases = 0;
    for (const requirement of required) {
      const section = bySection.get(requirement.method);
      assert.ok(section);
      // The document with this one name removed from the code of its section.
      const start = doc.indexOf(section.heading);
      const end = doc.slice(start + section.heading.length).search(/^#{1,3} /m);
      const stop = end < 0 ? doc.length : start + section.heading.length + end;
      const word = new RegExp(`(?<![\\w$])${requirement.name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
      const mutated = doc.slice(0, start) + section.heading + doc.slice(start + section.heading.length, stop).replace(word, 'removed') + doc.slice(stop);
      const missing = undocumented(mutated, required);
      assert.ok(missing.includes(`${requirement.method} ${requirement.path}`), `removing ${requirement.name} from ${requirement.method} went unnoticed`);
      cases++;
    }
    assert.equal(cases, required.length);
  });
});
