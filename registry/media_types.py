"""Media types of the files the registry sends (exports, the import template) and describes in OpenAPI."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
