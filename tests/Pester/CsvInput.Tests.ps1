# CSV mistakes say what is wrong (issue 20, point 2), and a CSV goes through the whole chain to named files.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0

    function New-Csv([string[]] $Lines) {
        $path = Join-Path (New-TestFolder) 'batch.csv'
        $Lines | Set-Content -LiteralPath $path -Encoding utf8
        $path
    }
}

AfterAll { Stop-TestSession $sim }

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

Describe 'The CSV chain' {
    BeforeAll {
        $csv = Join-Path (New-TestFolder) 'banners.csv'
        @(
            'Name,Prompt,Size,Quality,Count'
            'hero,"A hero banner, bright",16:9,2K,2'
            'logo,A round logo,1:1,,1'
        ) | Set-Content -Path $csv -Encoding utf8
    }

    It 'names files from a CSV column on <Gateway>' -ForEach @(@{ Gateway = 'EvoLink' }, @{ Gateway = 'LinkModel' }) {
        Reset-Sim $sim
        Connect-TestGateway -Gateway $Gateway
        $out = New-TestFolder
        $files = Import-Csv $csv | New-SeedreamImage | Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png'
        ($files.Name | Sort-Object) | Should -Be @('hero-0.png', 'hero-1.png', 'logo-0.png')
        $files | ForEach-Object { $_ | Should -BeOfType ([System.IO.FileInfo]) }
        $files | ForEach-Object { Test-IsPng $_.FullName | Should -BeTrue }
        ($files | Where-Object Name -EQ 'logo-0.png').TaskId | Should -Not -BeNullOrEmpty
        (Get-ChildItem $out).Count | Should -Be 3
    }

    It 'saves every good row when one row is bad' {
        Reset-Sim $sim
        Connect-TestGateway
        $rows = @(Import-Csv $csv) + @(
            [pscustomobject]@{ Name = 'bad-size'; Prompt = 'x'; Size = '1:20'; Quality = '2K'; Count = '1' }
            [pscustomobject]@{ Name = 'bad-quality'; Prompt = 'x'; Size = '1:1'; Quality = '3K'; Count = '1' }
        )
        $out = New-TestFolder
        $files = $rows | New-SeedreamImage -ErrorAction Continue -ErrorVariable failures 2>$null |
            Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png'
        ($files.Name | Sort-Object) | Should -Be @('hero-0.png', 'hero-1.png', 'logo-0.png')
        $failures.Count | Should -Be 2
        ($failures | Out-String) | Should -Match '1:20'
        ($failures | Where-Object { $_.TargetObject.Name -eq 'bad-quality' }).Exception.Message | Should -Match "Quality '3K' is not supported by doubao-seedream-4.0"
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'keeps file names from data inside the folder' {
        Reset-Sim $sim
        Connect-TestGateway
        $out = New-TestFolder
        $files = [pscustomobject]@{ Name = '../../escape'; Prompt = 'p' } | New-SeedreamImage | Save-SeedreamImage -Path $out -FileName '{Name}.png'
        $files.DirectoryName | Should -Be (Get-Item $out).FullName
        $files.Name | Should -Be '.._.._escape.png'
    }
}
