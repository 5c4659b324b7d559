# CSV mistakes say what is wrong (issue 20, point 2).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $sim = Start-SeedreamSimulator -LatencyMs 0
    $env:SEEDREAM_JOURNAL_PATH = Join-Path (New-TestFolder) 'journal.jsonl'

    function New-Csv([string[]] $Lines) {
        $path = Join-Path (New-TestFolder) 'batch.csv'
        $Lines | Set-Content -LiteralPath $path -Encoding utf8
        $path
    }
}

AfterAll {
    Disconnect-Seedream
    Stop-SeedreamSimulator $sim
    $env:SEEDREAM_JOURNAL_PATH = $null
}

Describe 'CSV mistakes say what is wrong' {
    BeforeEach {
        Reset-Sim $sim
        Connect-TestGateway
    }

    It 'says the Prompt cell is empty' {
        $csv = New-Csv 'Name,Prompt', 'a,', 'b,fine'
        $tasks = Import-Csv $csv | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        @($tasks).Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].Exception.Message | Should -Match 'Prompt cell is empty'
        $failures[0].ToString() | Should -BeLike "Record 1 (Name 'a'): *"
    }

    It 'says a semicolon header wants -Delimiter' {
        $csv = New-Csv 'Name;Prompt;Size', 'a;a fox;1:1'
        $null = Import-Csv $csv | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].Exception.Message | Should -Match "Import-Csv -Delimiter ';'"
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'lists the properties found when there is no Prompt column' {
        $csv = New-Csv 'Name,Prompts', 'a,a fox'
        $null = Import-Csv $csv | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $failures[0].Exception.Message | Should -Match "its properties are 'Name', 'Prompts'"
    }

    It 'trims header names' {
        $csv = New-Csv 'Name, Prompt , Size', 'a, a fox ,16:9'
        $task = Import-Csv $csv | New-SeedreamImage
        $task.Prompt.Trim() | Should -Be 'a fox'
        $task.Request.Size | Should -Be '16:9'
        $task.Name | Should -Be 'a'
    }

    It 'warns once per command about a column one edit away from a parameter' {
        $csv = New-Csv 'Name,Prompt,Qualty,Ratio', 'a,x,4K,16:9', 'b,y,4K,16:9', 'c,z,4K,16:9'
        $tasks = Import-Csv $csv | New-SeedreamImage -WarningVariable warnings -WarningAction SilentlyContinue
        @($tasks).Count | Should -Be 3
        $warnings.Count | Should -Be 2
        ($warnings | Out-String) | Should -Match "Column 'Qualty'.*Quality"
        ($warnings | Out-String) | Should -Match "Column 'Ratio'.*Size"
    }

    It 'refuses two aliases of one parameter in one record' {
        $rows = [pscustomobject]@{ Prompt = 'x'; Count = '2'; N = '3' }
        $tasks = $rows | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        @($tasks).Count | Should -Be 0
        $failures[0].Exception.Message | Should -Match 'Count, N'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }
}
