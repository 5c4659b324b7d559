# A gallery at the end of a pipeline shows what failed in it (issue 20, point 10).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $sim = Start-SeedreamSimulator -LatencyMs 0
    $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'
}

AfterAll {
    Disconnect-Seedream
    Stop-SeedreamSimulator $sim
    $env:SEEDREAM_JOURNAL_PATH = $null
}

Describe 'Export-SeedreamGallery at the end of a pipeline' {
    BeforeEach {
        Reset-Sim $sim
        Connect-TestGateway
    }

    It 'lists the records that failed in the same pipeline, and why, without -Failure' {
        $folder = New-TestFolder
        $rows = @(
            [pscustomobject]@{ Name = 'good'; Prompt = 'fine' }
            [pscustomobject]@{ Name = 'bad-size'; Prompt = 'x'; Size = '1:20' }
        )
        $page = Join-Path $folder 'index.html'
        $rows | New-SeedreamImage -ErrorAction SilentlyContinue | Save-SeedreamImage -Path $folder -FileName '{Name}-{Index}.png' |
            Export-SeedreamGallery -Path $page | Out-Null
        $html = Get-Content -Raw $page
        ([regex]::Matches($html, '<figure>')).Count | Should -Be 1
        $html | Should -Match 'bad-size'
        $html | Should -Match '1:20'
        $html | Should -Match 'SeedreamPS.InvalidParameter'
    }

    It 'lists a failure once when it is also passed with -Failure' {
        $folder = New-TestFolder
        $page = Join-Path $folder 'index.html'
        [pscustomobject]@{ Name = 'bad'; Prompt = 'x'; Quality = '9K' } | New-SeedreamImage -ErrorAction SilentlyContinue -ErrorVariable failed |
            Save-SeedreamImage -Path $folder | Export-SeedreamGallery -Path $page | Out-Null
        $html = Get-Content -Raw $page
        ([regex]::Matches($html, '9K')).Count | Should -BeGreaterThan 0
        $again = Join-Path $folder 'again.html'
        @() | Export-SeedreamGallery -Path $again -Failure $failed | Out-Null
        ([regex]::Matches((Get-Content -Raw $again), 'SeedreamPS\.InvalidParameter')).Count | Should -Be ([regex]::Matches($html, 'SeedreamPS\.InvalidParameter')).Count
    }

    It 'does not list failures of an earlier pipeline' {
        $folder = New-TestFolder
        $null = [pscustomobject]@{ Name = 'earlier'; Prompt = 'x'; Size = '1:20' } | New-SeedreamImage -ErrorAction SilentlyContinue
        $page = Join-Path $folder 'index.html'
        New-SeedreamImage -Prompt 'fine' -Wait | Save-SeedreamImage -Path $folder | Export-SeedreamGallery -Path $page | Out-Null
        (Get-Content -Raw $page) | Should -Not -Match 'earlier'
    }
}
