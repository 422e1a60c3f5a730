import { Prisma } from '@prisma/client';

type ModelName = Prisma.ModelName;

function scalarFields(model: ModelName) {
  const found = Prisma.dmmf.datamodel.models.find((m) => m.name === model);
  if (!found) throw new Error(`no model ${model}`);
  return found.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
}

/**
 * The select list of every scalar field of a model, each column aliased to its field name and
 * enums read as text, so a raw statement returns the rows Prisma's model API would (read off the
 * schema itself, so it cannot drift from it). `table`: the alias the statement gives the table.
 */
export function modelColumns(model: ModelName, table: string): Prisma.Sql {
  return Prisma.raw(
    scalarFields(model)
      .map((f) => `${table}."${f.dbName ?? f.name}"${f.kind === 'enum' ? '::text' : ''} AS "${f.name}"`)
      .join(', '),
  );
}

/** The column of one field of a model. */
export function columnOf(model: ModelName, field: string): string {
  const found = scalarFields(model).find((f) => f.name === field);
  if (!found) throw new Error(`no field ${model}.${field}`);
  return found.dbName ?? found.name;
}
