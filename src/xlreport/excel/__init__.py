"""Excel adapter: the ribbon's Python side (dispatch) and the xlwings grid (xlgrid).

Only excel.xlgrid imports xlwings, and only when a button runs.
"""
