"""Staff's spreadsheets: importing POCs from CSV or XLSX with a ZIP of images, and exporting them.

`columns` is the one column spec both directions share; `reading` reads and writes the files;
`importer` checks, plans and applies an import; `exporter` writes the catalogue back out.
"""
