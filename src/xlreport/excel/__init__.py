"""The Excel room: everything that faces the spreadsheet program.

ribbon.py    what each button does, written once against the grid interface (grid.py)
grid_memory, grid_file, xlgrid   the grid in memory (tests), on an .xlsx file (openpyxl), in Excel (xlwings)
dispatch.py  the add-in's entry point; buttons.py the button ids and labels
addin.py, ovba.py   building the .xlam add-in from macros/ (MS-OVBA compression, compound file)

Only xlgrid imports xlwings, and only when a button runs (an import-linter contract keeps it here).
"""
