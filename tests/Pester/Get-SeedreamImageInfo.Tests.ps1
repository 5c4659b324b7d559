# Get-SeedreamImageInfo: what made a file, from its sidecar or the journal; and literal paths (issue 20, point 6):
# -LiteralPath (alias PSPath) for paths to existing files, and a -Path that matches nothing is an error, as in Get-Item.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
}

AfterAll { Stop-TestSession $sim }

Describe 'Provenance' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
    }

    It 'writes a sidecar beside each image with -Sidecar and reads it back with Get-SeedreamImageInfo' {
        $out = New-TestFolder
        $files = [pscustomobject]@{ Name = 'hero'; Campaign = 'spring'; Prompt = 'a hero banner'; Size = '16:9' } |
            New-SeedreamImage | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png' -Sidecar -NoEmbeddedMetadata
        Test-Path (Join-Path $out 'hero-0.png.json') | Should -BeTrue
        $info = $files | Get-SeedreamImageInfo
        $info.Source | Should -Be 'sidecar'
        $info.Prompt | Should -Be 'a hero banner'
        $info.Model | Should -Be 'doubao-seedream-4.0'
        $info.TaskId | Should -Be $files.TaskId
        $info.Campaign | Should -Be 'spring'
        $info.ModuleVersion | Should -Be (Get-Module SeedreamPS).Version.ToString()
        (Get-SeedreamImageInfo -Path (Join-Path $out '*.png')).Count | Should -Be 1
    }

    It 'finds a file without a sidecar in the journal, and says when nothing knows a file' {
        $out = New-TestFolder
        $file = New-SeedreamImage -Prompt 'journalled' -Wait | Save-SeedreamImage -Path $out -NoEmbeddedMetadata
        (Get-SeedreamImageInfo -Path $file.FullName).Source | Should -Be 'journal'
        (Get-SeedreamImageInfo -Path $file.FullName).Prompt | Should -Be 'journalled'
        $stranger = Join-Path $out 'stranger.png'
        Set-Content -Path $stranger -Value 'x'
        Get-SeedreamImageInfo -Path $stranger -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.UnknownImage*'
    }
}

Describe 'Get-SeedreamImageInfo -LiteralPath' {
    BeforeAll {
        Connect-TestGateway
        $out = New-TestFolder
        # A name the module itself writes from data: brackets are wildcard characters to -Path.
        $saved = [pscustomobject]@{ Name = '[Spring] Sale'; Prompt = 'p' } | New-SeedreamImage -Wait |
            Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png' -Sidecar
        $bracketed = Join-Path $out '[Spring] Sale-0.png'
    }

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
