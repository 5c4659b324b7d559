@{
    RootModule             = 'SeedreamPS.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '6f1d7c3e-2b8a-4f5e-9c41-7d3a0b9e5c12'
    Author                 = 'SeedreamPS contributors'
    CompanyName            = 'SeedreamPS'
    Copyright              = '(c) SeedreamPS contributors.'
    Description            = 'Generate images with ByteDance Seedream 4.0, 4.5 and 5.0 through the EvoLink and LinkModel gateways and BytePlus ModelArk, from the PowerShell pipeline: limits checked before anything is paid for, batches in parallel, a journal so nothing paid for is lost.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('SeedreamPS.format.ps1xml')
    CmdletsToExport        = @(
        'Connect-Seedream'
        'ConvertFrom-SeedreamCallback'
        'Disconnect-Seedream'
        'Export-SeedreamGallery'
        'Get-SeedreamImageInfo'
        'Get-SeedreamModel'
        'New-SeedreamImage'
        'Get-SeedreamTask'
        'Get-SeedreamUsage'
        'Wait-SeedreamTask'
        'Save-SeedreamImage'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Seedream', 'ByteDance', 'ImageGeneration', 'AI', 'EvoLink', 'LinkModel', 'ModelArk', 'BytePlus', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            # LicenseUri and ProjectUri go here once the project has chosen its licence and public home.
            ReleaseNotes = 'First release. Cmdlets: Connect-Seedream and Disconnect-Seedream (EvoLink, LinkModel, BytePlus ModelArk and Volcengine; key from a SecureString or SEEDREAM_API_KEY); New-SeedreamImage (limits checked before sending, -WhatIf cost, -MaxCostUsd budgets, -Resume from the journal, local reference images); Get-SeedreamTask (-Unsaved) and Wait-SeedreamTask; Save-SeedreamImage (atomic downloads, file name templates, -Sidecar); Get-SeedreamModel (the catalogue of limits and prices); Get-SeedreamUsage (images and spend from the journal); Get-SeedreamImageInfo (what made a saved image); Export-SeedreamGallery (a self-contained HTML review page); ConvertFrom-SeedreamCallback (task callbacks).'
        }
    }
}
