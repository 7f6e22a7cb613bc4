// Redocly lint plugin of the kit (redocly.yaml: `plugins`, rule `kit/link-targets-exist`). OpenAPI `links` tell a
// stateful tester (Schemathesis, Respect) how one answer feeds the next call; a link to an operation, parameter or
// body field that does not exist is silently ignored by those tools, so the chain is never tested. No built-in or
// configurable rule can compare a link with its target operation: this one does, and fails the build.
//
// For every link it checks: `operationId` names an operation of the spec (`operationRef` is refused: ids survive
// path renames); each `parameters` key (`name` or `in.name`) is a parameter of the target; each top-level key of an
// object `requestBody` is a property of the target's request schema; and each `$request.{header,query,path}.name`
// expression names a parameter of the operation the link starts from.

const requestExpression = /\$request\.(header|query|path)\.([A-Za-z0-9_.-]+)/g;

function resolved(node, ctx) {
  return node && typeof node.$ref === "string" ? ctx.resolve(node).node : node;
}

function parametersOf(pathItem, operation, ctx) {
  return [...(pathItem?.parameters ?? []), ...(operation.parameters ?? [])]
    .map((p) => resolved(p, ctx))
    .filter((p) => p && typeof p.name === "string")
    .map((p) => ({ in: p.in, name: p.name }));
}

function bodyPropertiesOf(operation, ctx) {
  const body = resolved(operation.requestBody, ctx);
  if (!body?.content) return undefined;
  const names = new Set();
  for (const media of Object.values(body.content)) {
    const schema = resolved(media?.schema, ctx);
    for (const part of [schema, ...(schema?.allOf ?? []).map((s) => resolved(s, ctx))]) {
      for (const name of Object.keys(part?.properties ?? {})) names.add(name);
    }
  }
  return names;
}

function LinkTargetsExist() {
  const operations = new Map();
  const links = [];
  let pathItem;
  let current;
  return {
    PathItem: {
      enter(node) {
        pathItem = node;
      },
    },
    Operation: {
      enter(operation, ctx) {
        current = {
          operationId: operation.operationId,
          parameters: parametersOf(pathItem, operation, ctx),
          bodyProperties: bodyPropertiesOf(operation, ctx),
        };
        if (typeof operation.operationId === "string") operations.set(operation.operationId, current);
      },
      leave() {
        current = undefined;
      },
    },
    Link: {
      enter(link, ctx) {
        links.push({ link, source: current, location: ctx.location });
      },
    },
    Root: {
      leave(_root, ctx) {
        for (const { link, source, location } of links) {
          const report = (message, key) => ctx.report({ message, location: key ? location.child(key) : location });
          if (link.operationRef !== undefined) {
            report("Use `operationId` in links, not `operationRef`.", ["operationRef"]);
            continue;
          }
          const target = operations.get(link.operationId);
          if (!target) {
            report(`Link target operation \`${link.operationId}\` does not exist.`, ["operationId"]);
            continue;
          }
          for (const key of Object.keys(link.parameters ?? {})) {
            const [where, name] =
              key.includes(".") && /^(path|query|header|cookie)\./.test(key)
                ? [key.slice(0, key.indexOf(".")), key.slice(key.indexOf(".") + 1)]
                : [undefined, key];
            if (!target.parameters.some((p) => p.name === name && (!where || p.in === where))) {
              report(`Link parameter \`${key}\` is not a parameter of \`${link.operationId}\`.`, ["parameters", key]);
            }
          }
          const body = link.requestBody;
          if (body !== undefined) {
            if (!target.bodyProperties) {
              report(`\`${link.operationId}\` takes no request body.`, ["requestBody"]);
            } else if (body && typeof body === "object" && !Array.isArray(body)) {
              for (const key of Object.keys(body)) {
                if (!target.bodyProperties.has(key)) {
                  report(`\`${key}\` is not a property of the request body of \`${link.operationId}\`.`, [
                    "requestBody",
                    key,
                  ]);
                }
              }
            }
          }
          const expressions = JSON.stringify([link.parameters ?? {}, link.requestBody ?? null]);
          for (const [, where, name] of expressions.matchAll(requestExpression)) {
            if (source && !source.parameters.some((p) => p.in === where && p.name === name)) {
              report(`\`$request.${where}.${name}\` is not a parameter of \`${source.operationId}\`.`);
            }
          }
        }
      },
    },
  };
}

export default function kitPlugin() {
  return {
    id: "kit",
    rules: {
      oas3: { "link-targets-exist": LinkTargetsExist },
    },
  };
}
