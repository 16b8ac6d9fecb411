Attribute VB_Name = "XlreportRibbon"
' xlreport ribbon callback. ASCII only: the Chinese labels live in customUI.xml,
' the Chinese messages in Python. Every button of the xlreport tab calls
' Xlreport_OnAction, which hands the clicked button's id to Python, so a new
' button needs only customUI.xml and xlreport.excel (buttons, dispatch),
' never a change here. RunPython is the xlwings module of this add-in.
Option Explicit

Private Const XLREPORT_COMMAND As String = "import xlreport.excel.dispatch as d; d.run('{id}')"

Public Sub Xlreport_OnAction(control As IRibbonControl)
    xlwings.RunPython Replace(XLREPORT_COMMAND, "{id}", control.Id)
End Sub
