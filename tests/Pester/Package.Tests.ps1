# The module installs the way PowerShell users install modules: ./build.ps1 -Task Package makes a .nupkg, and
# PSResourceGet installs it from a local repository into a PowerShell whose module path has nothing of this repo.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $root = Get-TestRepoRoot
    $manifestPath = Get-TestManifestPath

    function Invoke-Child([string] $Script, [hashtable] $Environment = @{}, [string[]] $Remove = @()) {
        Invoke-TestPowerShell -Arguments @('-Command', $Script) -Environment ($Environment + @{ NO_COLOR = '1' }) -Remove $Remove -TimeoutSec 300
    }
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest and exports every cmdlet the assembly has' {
        $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $data = Import-PowerShellDataFile $manifestPath
        Import-TestModule
        $inAssembly = (Get-Command -Module SeedreamPS -CommandType Cmdlet).Name | Sort-Object
        ($data.CmdletsToExport | Sort-Object) | Should -Be $inAssembly
        ($manifest.ExportedCmdlets.Keys | Sort-Object) | Should -Be $inAssembly
    }

    It 'names every cmdlet in its release notes and claims no licence or address that does not exist' {
        $data = Import-PowerShellDataFile $manifestPath
        foreach ($cmdlet in $data.CmdletsToExport) { $data.PrivateData.PSData.ReleaseNotes | Should -Match ([regex]::Escape($cmdlet)) }
        $data.PrivateData.PSData.Keys | Should -Not -Contain 'LicenseUri'
        $data.PrivateData.PSData.Keys | Should -Not -Contain 'ProjectUri'
        Join-Path $root 'LICENSE' | Should -Not -Exist -Because 'a licence file would be named in the manifest'
    }
}

Describe 'Installing with PSResourceGet' {
    BeforeAll {
        $build = Invoke-Child -Script "& '$(Join-Path $root 'build.ps1')' -Task Package -NoBuild -Configuration $(Get-TestConfiguration)"
        $package = Get-ChildItem (Join-Path $root 'out/package') -Filter 'SeedreamPS.*.nupkg' -ErrorAction SilentlyContinue | Select-Object -First 1
    }

    It 'makes a .nupkg with ./build.ps1 -Task Package' {
        $build.ExitCode | Should -Be 0 -Because $build.Err
        $package | Should -Not -BeNullOrEmpty
        $version = (Import-PowerShellDataFile $manifestPath).ModuleVersion
        $package.Name | Should -Be "SeedreamPS.$version.nupkg"
    }

    It 'installs from a local repository into an empty module path, imports by name, and has its help' {
        $userHome = New-TestFolder
        $repository = New-TestFolder
        Copy-Item $package.FullName $repository
        # A new user: HOME (where PSResourceGet keeps its repositories and installs for the current user) is empty, and
        # the module path holds only PowerShell's own modules.
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SeedreamLocal -Uri '$repository' -Trusted
Install-PSResource -Name SeedreamPS -Repository SeedreamLocal -Scope CurrentUser -TrustRepository -Quiet
Import-Module SeedreamPS
'BASE=' + (Get-Module SeedreamPS).ModuleBase
'MODELS=' + @(Get-SeedreamModel).Count
'EXAMPLES=' + @((Get-Help New-SeedreamImage -Examples).examples.example).Count
Get-Help New-SeedreamImage -Examples | Out-String -Width 200
"@
        $run = Invoke-Child -Script $script -Environment @{ HOME = $userHome; PSModulePath = (Join-Path $PSHOME 'Modules') } -Remove @('XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME')
        $run.ExitCode | Should -Be 0 -Because $run.Err
        $base = [regex]::Match($run.Out, 'BASE=(.*)').Groups[1].Value.Trim()
        $base | Should -BeLike "$userHome*"
        Join-Path $base 'SeedreamPS.dll' | Should -Exist
        Join-Path $base 'dependencies/System.Text.Json.dll' | Should -Exist
        [int][regex]::Match($run.Out, 'MODELS=(\d+)').Groups[1].Value | Should -BeGreaterThan 5
        [int][regex]::Match($run.Out, 'EXAMPLES=(\d+)').Groups[1].Value | Should -BeGreaterOrEqual 2
        $run.Out | Should -Match 'Import-Csv ./examples/prompts.csv \| New-SeedreamImage'
    }
}
