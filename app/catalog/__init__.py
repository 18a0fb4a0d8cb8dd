"""The service-item catalog (事项目录): one YAML file per item, validated, versioned, searchable.

Modules:
    schema: pydantic models of an item and the cross-field checks (a package: vocabulary, fields, item,
        rule_names, checks); imports nothing of ours but ``app.i18n`` (the server imports it alone).
    loader: YAML files → validated items, every problem with its file and line; ``yimen catalog validate``.
    rules: field value validation, form validation, material checklists, dated amounts (a package), and the named
        rules, one module each in ``rules/eligibility/``, registered in ``rules/registration.py``.
    search: search by Chinese name, code and pinyin; grouping by category.
    registry: the catalog versions stored in the database (last-good fallback).

Nothing is re-exported here, so that importing :mod:`app.catalog.schema` never pulls in the rest.  See
``docs/catalog.md``.
"""
