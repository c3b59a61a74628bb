"""Alembic environment: runs against the engine handed over in config.attributes."""

from alembic import context

from assetmap.store.models import Base

config = context.config
engine = config.attributes["engine"]



def include_object(obj, name, type_, reflected, compare_to):
    # PostGIS's own tables are not ours to manage.
    return not (type_ == "table" and reflected and compare_to is None
                and name in ("spatial_ref_sys",))


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
