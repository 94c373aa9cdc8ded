# The cmdlets of PowerShell 7, as a nested module of ExchangeDiag.psd1 (which stays free of
# expressions, so Import-PowerShellDataFile and the gallery tools read it). PowerShell imports
# ExchangeDiag.LoadContext.dll first; it hooks the default context, so the root module, named by
# assembly name only, comes from the module's own AssemblyLoadContext (ModuleResolver). Windows
# PowerShell gets an empty module here: ExchangeDiag.psm1 loads its cmdlets.
@{
    RootModule        = if ($PSEdition -eq 'Core') { 'ExchangeDiag.dll' } else { $null }
    NestedModules     = if ($PSEdition -eq 'Core') { @('net8.0/ExchangeDiag.LoadContext.dll') } else { @() }
    ModuleVersion     = '0.1.0'
    GUID              = '0c1b6f43-5a8e-4d7b-9f2a-3e6d1c8b7a90'
    CmdletsToExport   = '*'
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = '*'
}
