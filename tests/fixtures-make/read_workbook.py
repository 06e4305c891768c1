"""Reads a workbook back with openpyxl (Debian's python3-openpyxl), independently of the module, and prints what a
spreadsheet would see as JSON: every cell's value and type, whether any cell holds a formula, the frozen panes, the
filter, and the conditional formatting that colours the verdicts."""
import json
import sys
from openpyxl import load_workbook

book = load_workbook(sys.argv[1])
sheet = book.active
rows = [[{"v": cell.value, "t": cell.data_type} for cell in row] for row in sheet.iter_rows()]
print(json.dumps({
    "rows": rows,
    "formulas": sum(1 for row in sheet.iter_rows() for cell in row if cell.data_type == "f"),
    "freeze": sheet.freeze_panes,
    "filter": sheet.auto_filter.ref,
    "colours": [
        {"range": str(cf.sqref), "rules": [{"formula": list(rule.formula or []), "fill": rule.dxf.fill.fgColor.rgb if rule.dxf and rule.dxf.fill else None} for rule in cf.rules]}
        for cf in sheet.conditional_formatting
    ],
}, ensure_ascii=False, default=str))
