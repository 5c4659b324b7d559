# Numbers are culture-safe (issue 20, point 5): every numeric parameter given as text goes through one parser.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
    $savedCulture = [System.Threading.Thread]::CurrentThread.CurrentCulture
}

AfterAll {
    [System.Threading.Thread]::CurrentThread.CurrentCulture = $savedCulture
    $env:SEEDREAM_MAX_COST_USD = $null
    Disconnect-Seedream
    Stop-SeedreamSimulator $sim
    $env:SEEDREAM_JOURNAL_PATH = $null
}

Describe 'Numbers given as text' {
    BeforeEach {
        Reset-Sim $sim
        Connect-TestGateway
        [System.Threading.Thread]::CurrentThread.CurrentCulture = [cultureinfo]::GetCultureInfo('de-DE')
        $rows = 1..5 | ForEach-Object { [pscustomobject]@{ Name = "r$_"; Prompt = 'x' } }
    }
    AfterEach {
        [System.Threading.Thread]::CurrentThread.CurrentCulture = $savedCulture
        $env:SEEDREAM_MAX_COST_USD = $null
    }

    It "reads -MaxCostUsd '0,05' under de-DE as five cents, not five dollars" {
        $tasks = $rows | New-SeedreamImage -MaxCostUsd '0,05' -ErrorVariable failures -ErrorAction SilentlyContinue
        @($tasks).Count | Should -Be 2
        $failures.Count | Should -Be 3
        Get-SimCounter $sim 'evolink.create' | Should -Be 2
    }

    It 'reads the same text the same way from SEEDREAM_MAX_COST_USD' {
        $env:SEEDREAM_MAX_COST_USD = '0,05'
        $tasks = $rows | New-SeedreamImage -ErrorAction SilentlyContinue
        @($tasks).Count | Should -Be 2
    }

    It "refuses '1,000' as ambiguous and sends nothing" {
        { $rows | New-SeedreamImage -MaxCostUsd '1,000' } | Should -Throw '*two ways*'
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'refuses a decimal where a whole number is meant, instead of reading 1,5 as 15' {
        { New-SeedreamImage -Prompt 'x' -Wait -TimeoutSec '1,5' } | Should -Throw '*not a whole number*'
        { Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -MaxRetryCount '1,0' } | Should -Throw '*not a whole number*'
        $null = [pscustomobject]@{ Prompt = 'x'; Count = '1,5' } | New-SeedreamImage -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].Exception.Message | Should -Match "Count '1,5'"
        Get-SimCounter $sim 'evolink.create' | Should -Be 0
    }

    It 'still takes numbers and plain text numbers' {
        (New-SeedreamImage -Prompt 'x' -Count '2' -MaxCostUsd 0.5).Id | Should -Not -BeNullOrEmpty
        Connect-Seedream -Gateway EvoLink -ApiKey $sim.ApiKey -BaseUri $sim.EvoLinkUri -PollIntervalSec '0,1' -TimeoutSec '30'
    }
}
