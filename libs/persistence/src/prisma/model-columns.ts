import { Prisma } from '@prisma/client';

type ModelName = Prisma.ModelName;
type ScalarField = Prisma.DMMF.Field;

// Read off the schema once per model: assignmentsOf runs on every state change.
const fieldsByModel = new Map<ModelName, Map<string, ScalarField>>();

function scalarFields(model: ModelName): Map<string, ScalarField> {
  let fields = fieldsByModel.get(model);
  if (!fields) {
    const found = Prisma.dmmf.datamodel.models.find((m) => m.name === model);
    if (!found) throw new Error(`no model ${model}`);
    fields = new Map(found.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum').map((f) => [f.name, f]));
    fieldsByModel.set(model, fields);
  }
  return fields;
}

/**
 * The select list of every scalar field of a model, each column aliased to its field name and
 * enums read as text, so a raw statement returns the rows Prisma's model API would (read off the
 * schema itself, so it cannot drift from it). `table`: the alias the statement gives the table.
 */
export function modelColumns(model: ModelName, table: string): Prisma.Sql {
  return Prisma.raw(
    [...scalarFields(model).values()]
      .map((f) => `${table}."${f.dbName ?? f.name}"${f.kind === 'enum' ? '::text' : ''} AS "${f.name}"`)
      .join(', '),
  );
}

/** `column = value` for each field given, for the SET of a raw UPDATE of the model. */
export function assignmentsOf(model: ModelName, fields: Record<string, unknown>): Prisma.Sql[] {
  return Object.entries(fields).map(([field, value]) => {
    const found = scalarFields(model).get(field);
    if (!found) throw new Error(`no field ${model}.${field}`);
    return Prisma.sql`${Prisma.raw(`"${found.dbName ?? found.name}"`)} = ${value}`;
  });
}
