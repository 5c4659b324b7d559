# Wait-SeedreamTask against a simulator in its own process.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 300
}

AfterAll { Stop-TestSession $sim }

Describe 'Wait-SeedreamTask' {
    BeforeEach {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 300 }
        Connect-TestGateway
    }

    It 'waits for many tasks together' {
        $tasks = 1..3 | ForEach-Object { New-SeedreamImage -Prompt "p$_" }
        $done = $tasks | Wait-SeedreamTask -TimeoutSec 30
        $done.Count | Should -Be 3
        $done | ForEach-Object { $_.Status | Should -Be 'Succeeded' }
    }

    It 'waits for ids' {
        $task = New-SeedreamImage -Prompt 'p'
        (Wait-SeedreamTask -Id $task.Id -TimeoutSec 30).Status | Should -Be 'Succeeded'
    }

    It 'reports tasks still running at -TimeoutSec as errors' {
        Set-SimConfig $sim @{ latencyMs = 60000 }
        $task = New-SeedreamImage -Prompt 'p'
        $done = $task | Wait-SeedreamTask -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $done | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SeedreamPS.Timeout*'
        $failures[0].Exception.Message | Should -Match $task.Id
    }
}
