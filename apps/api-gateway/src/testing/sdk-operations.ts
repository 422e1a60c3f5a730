// Test-only: reads the `@zernio/node` SDK as published (its dist), the wire contract the OpenAPI
// document must describe. Each method's HTTP method and URL come from the compiled client, its
// path, query, header and body fields from the `<Method>Data` type in the declarations.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

export interface SdkOperation {
  group: string;
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As the SDK writes it: `/v1/whatsapp/calls/{id}`. */
  url: string;
  path: string[];
  query: string[];
  headers: string[];
  /** Field names of a JSON body; null when the body is not an object (a file). */
  body: string[] | null;
  hasBody: boolean;
}

const sdkDist = () => dirname(require.resolve('@zernio/node'));

/** `var name = (options) => {\n  return (options?.client ?? client).post({ ...options, url: "/v1/..." });\n};` */
const FUNCTION = /^var (\w+) = \(options\) => \{\n([\s\S]*?)\n\};$/gm;
const CALL = /\(options\?\.client \?\? client\)\.(get|post|put|patch|delete)\(\{[\s\S]*?\burl: "([^"]+)"/;

function clientCalls(source: string): Map<string, Pick<SdkOperation, 'method' | 'url'>> {
  const calls = new Map<string, Pick<SdkOperation, 'method' | 'url'>>();
  for (const [, name, body] of source.matchAll(FUNCTION)) {
    const call = CALL.exec(body);
    if (call) calls.set(name, { method: call[1] as SdkOperation['method'], url: call[2] });
  }
  return calls;
}

function groupMembers(source: string, group: string): string[] {
  const block = new RegExp(`this\\.${group} = \\{([^}]*)\\}`).exec(source);
  if (!block) throw new Error(`the SDK has no ${group} group`);
  return [...block[1].matchAll(/(\w+): this\._bind/g)].map((match) => match[1]);
}

function literalMembers(node: ts.TypeNode | undefined): string[] | null {
  let type = node;
  while (type && ts.isParenthesizedTypeNode(type)) type = type.type;
  if (!type || !ts.isTypeLiteralNode(type)) return null;
  return type.members.filter(ts.isPropertySignature).map((member) => member.name.getText().replace(/^['"]|['"]$/g, ''));
}

function dataTypes(declarations: string): Map<string, ts.TypeLiteralNode> {
  const file = ts.createSourceFile('index.d.ts', declarations, ts.ScriptTarget.Latest, true);
  const types = new Map<string, ts.TypeLiteralNode>();
  for (const statement of file.statements) {
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text.endsWith('Data') && ts.isTypeLiteralNode(statement.type)) {
      types.set(statement.name.text, statement.type);
    }
  }
  return types;
}

/** Every method of the given SDK groups (`whatsappcalling`, `webhooks`, ...). */
export function sdkOperations(groups: readonly string[]): SdkOperation[] {
  const source = readFileSync(join(sdkDist(), 'index.js'), 'utf8');
  const calls = clientCalls(source);
  const types = dataTypes(readFileSync(join(sdkDist(), 'index.d.ts'), 'utf8'));
  return groups.flatMap((group) =>
    groupMembers(source, group).map((name) => {
      const call = calls.get(name);
      if (!call) throw new Error(`SDK method ${name}: its URL was not found in the compiled client`);
      const data = types.get(`${name[0].toUpperCase()}${name.slice(1)}Data`);
      const member = (key: string) => data?.members.filter(ts.isPropertySignature).find((property) => property.name.getText() === key);
      const body = member('body');
      return {
        group,
        name,
        ...call,
        path: literalMembers(member('path')?.type) ?? [],
        query: literalMembers(member('query')?.type) ?? [],
        headers: literalMembers(member('headers')?.type) ?? [],
        body: body ? literalMembers(body.type) : [],
        hasBody: body !== undefined,
      };
    }),
  );
}
