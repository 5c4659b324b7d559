# Literal paths (issue 20, point 6): -LiteralPath (alias PSPath) where a cmdlet takes paths to existing files, and a
# -Path that matches nothing is an error, as in Get-Item.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $sim = Start-SeedreamSimulator -LatencyMs 0
    $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'
    Connect-TestGateway
    $out = New-TestFolder
    # A name the module itself writes from data: brackets are wildcard characters to -Path.
    $saved = [pscustomobject]@{ Name = '[Spring] Sale'; Prompt = 'p' } | New-SeedreamImage -Wait |
        Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png' -Sidecar
    $bracketed = Join-Path $out '[Spring] Sale-0.png'
}

AfterAll {
    Disconnect-Seedream
    Stop-SeedreamSimulator $sim
    $env:SEEDREAM_JOURNAL_PATH = $null
}

Describe 'Get-SeedreamImageInfo -LiteralPath' {
    It 'has -LiteralPath with the aliases PSPath and LP' {
        $parameter = (Get-Command Get-SeedreamImageInfo).Parameters['LiteralPath']
        $parameter | Should -Not -BeNullOrEmpty
        $parameter.Aliases | Should -Contain 'PSPath'
        $parameter.Aliases | Should -Contain 'LP'
    }

    It 'reads a file whose name has brackets' {
        Test-Path -LiteralPath $bracketed | Should -BeTrue
        (Get-SeedreamImageInfo -LiteralPath $bracketed).Name | Should -Be '[Spring] Sale'
    }

    It 'binds piped Get-ChildItem and Save-SeedreamImage output by PSPath' {
        (Get-ChildItem -LiteralPath $out -Filter '*.png' | Get-SeedreamImageInfo).Prompt | Should -Be 'p'
        ($saved | Get-SeedreamImageInfo).Prompt | Should -Be 'p'
    }

    It 'makes a -Path that matches nothing an error, as Get-Item does' {
        $result = Get-SeedreamImageInfo -Path $bracketed -ErrorVariable failures -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.FileError*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $null = Get-SeedreamImageInfo -Path (Join-Path $out 'nothing-*.png') -ErrorVariable none -ErrorAction SilentlyContinue
        $none.Count | Should -Be 1
    }

    It 'makes a -LiteralPath that does not exist an error' {
        $null = Get-SeedreamImageInfo -LiteralPath (Join-Path $out 'gone.png') -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].Exception.Message | Should -Match 'does not exist'
    }

    It 'still expands wildcards in -Path and piped text' {
        @(Get-SeedreamImageInfo -Path (Join-Path $out '*.png')).Count | Should -Be 1
        @((Join-Path $out '*.png') | Get-SeedreamImageInfo).Count | Should -Be 1
    }
}
